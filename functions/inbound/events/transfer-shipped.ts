import { z } from 'zod';
import { defineEvent } from '#shared/events';

/** A transfer left its source: the units are off its stock and in transit to the destination. */
export const TransferShipped = defineEvent({
  source: 'qm.inbound',
  detailType: 'TransferShipped',
  version: 1,
  data: z.object({
    transferId: z.string(),
    fromLocationId: z.string(),
    toLocationId: z.string(),
    lines: z.array(z.object({ sku: z.string(), quantity: z.number().int() })),
    shippedAt: z.string(),
    expectedAt: z.string(),
  }),
});
