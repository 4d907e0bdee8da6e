import { z } from 'zod';
import { defineEvent } from '#shared/events';

/**
 * A transfer arrived: received units are in the destination's RECEIVING bin, nothing of it is in
 * transit any more, and each SKU's variance (received − shipped) is recorded.
 */
export const TransferReceived = defineEvent({
  source: 'qm.inbound',
  detailType: 'TransferReceived',
  version: 1,
  data: z.object({
    transferId: z.string(),
    fromLocationId: z.string(),
    toLocationId: z.string(),
    lines: z.array(
      z.object({
        sku: z.string(),
        shipped: z.number().int(),
        received: z.number().int(),
        variance: z.number().int(),
      }),
    ),
    receivedAt: z.string(),
  }),
});
