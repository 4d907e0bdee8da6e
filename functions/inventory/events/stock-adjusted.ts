import { z } from 'zod';
import { defineEvent } from '#shared/events';

/** A manual or system adjustment of units at one position item. */
export const StockAdjusted = defineEvent({
  source: 'qm.inventory',
  detailType: 'StockAdjusted',
  version: 1,
  data: z.object({
    movementId: z.string(),
    sku: z.string(),
    locationId: z.string(),
    bucket: z.string().optional(),
    delta: z.number().int(),
    reason: z.string(),
    actor: z.string(),
    idempotencyKey: z.string().optional(),
    /** The position item's onHand and available after the change. */
    onHand: z.number().int(),
    available: z.number().int(),
  }),
});
