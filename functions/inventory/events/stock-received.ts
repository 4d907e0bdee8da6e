import { z } from 'zod';
import { defineEvent } from '#shared/events';

/** Units received into a position (a bucket of it), possibly off inTransit. */
export const StockReceived = defineEvent({
  source: 'qm.inventory',
  detailType: 'StockReceived',
  version: 1,
  data: z.object({
    movementId: z.string(),
    sku: z.string(),
    locationId: z.string(),
    deltas: z.record(z.string(), z.number().int()),
    reason: z.string(),
    actor: z.string(),
    idempotencyKey: z.string(),
    onHand: z.number().int(),
    available: z.number().int(),
  }),
});
