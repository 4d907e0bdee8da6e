import { z } from 'zod';
import { defineEvent } from '#shared/events';
import { orderEventLine } from './order-lines.ts';

/** The channel cancelled the order: whatever was reserved for it is to be released. */
export const OrderCancelled = defineEvent({
  source: 'qm.orders',
  detailType: 'OrderCancelled',
  version: 1,
  data: z.object({
    orderId: z.string(),
    channelId: z.string(),
    externalId: z.string(),
    cancelledAt: z.string(),
    reason: z.string().optional(),
    lines: z.array(orderEventLine),
  }),
});
