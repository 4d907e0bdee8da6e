import { z } from 'zod';
import { defineEvent } from '#shared/events';

/** A manual or system adjustment of on-hand units at one position. */
export const StockAdjusted = defineEvent({
  source: 'qm.inventory',
  detailType: 'StockAdjusted',
  version: 1,
  data: z.object({
    movementId: z.string(),
    sku: z.string(),
    locationId: z.string(),
    delta: z.number().int(),
    reason: z.string(),
    actor: z.string(),
    onHand: z.number().int(),
    available: z.number().int(),
  }),
});
