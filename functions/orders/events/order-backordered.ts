import { z } from 'zod';
import { defineEvent } from '#shared/events';
import { releaseLine } from './release-payloads.ts';

/** Stock was short: these lines wait for stock; `expectedAt` comes from open inbound when known. */
export const OrderBackordered = defineEvent({
  source: 'qm.orders',
  detailType: 'OrderBackordered',
  version: 1,
  data: z.object({
    orderId: z.string(),
    channelId: z.string(),
    status: z.literal('backordered'),
    lines: z.array(releaseLine.extend({ expectedAt: z.string().nullable() })).min(1),
    /** Lines already reserved for the order (partial state). */
    reservedLineIds: z.array(z.string()),
    at: z.string(),
  }),
});
