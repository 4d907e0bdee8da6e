import { z } from 'zod';
import { defineEvent } from '#shared/events';

/** A repair wrote a correcting ledger movement for a position, with an audit reason. */
export const InventoryRepaired = defineEvent({
  source: 'qm.inventory',
  detailType: 'InventoryRepaired',
  version: 1,
  data: z.object({
    movementId: z.string(),
    sku: z.string(),
    locationId: z.string(),
    shard: z.number().int(),
    deltas: z.record(z.string(), z.number().int()),
    reason: z.string(),
    actor: z.string(),
  }),
});
