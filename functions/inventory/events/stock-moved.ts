import { z } from 'zod';
import { defineEvent } from '#shared/events';

/** Units changed status inside a position (e.g. on hand → quarantined, returned pending → on hand). */
export const StockMoved = defineEvent({
  source: 'qm.inventory',
  detailType: 'StockMoved',
  version: 1,
  data: z.object({
    movementId: z.string(),
    sku: z.string(),
    locationId: z.string(),
    deltas: z.record(z.string(), z.number().int()),
    reason: z.string(),
    actor: z.string(),
    idempotencyKey: z.string(),
    available: z.number().int(),
  }),
});
