import { z } from 'zod';
import { defineEvent } from '#shared/events';

/** The invariant checker found a position that breaks one of the inventory invariants (docs/architecture.md; 5 is bins). */
export const InventoryMismatchDetected = defineEvent({
  source: 'qm.inventory',
  detailType: 'InventoryMismatchDetected',
  version: 1,
  data: z.object({
    sku: z.string(),
    locationId: z.string(),
    shard: z.number().int(),
    invariant: z.number().int().min(1).max(5),
    problem: z.string(),
    evidence: z.record(z.string(), z.unknown()),
    checkedAt: z.string(),
  }),
});
