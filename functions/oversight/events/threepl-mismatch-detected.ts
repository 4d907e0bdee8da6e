import { z } from 'zod';
import { defineEvent } from '#shared/events';

/**
 * A 3PL's stock report disagrees with ours for a SKU at its location (`ours` ≠ `theirs`), or
 * agrees again (`ours` = `theirs`, published by the first reconciliation that matches after a
 * mismatch). The 3PL reconciliation publishes it; it does not exist on this branch yet, so the
 * event is declared here and is to be re-pointed at its publisher's declaration at merge.
 * Source `qm.connectors` (3PLs are connectors' business), which keeps it apart from inventory's
 * own `InventoryMismatchDetected` (the invariant checker, source `qm.inventory`).
 */
export const ThreePlInventoryMismatchDetected = defineEvent({
  source: 'qm.connectors',
  detailType: 'InventoryMismatchDetected',
  version: 1,
  data: z.object({
    reconciliationId: z.string(),
    locationId: z.string(),
    sku: z.string(),
    ours: z.number().int(),
    theirs: z.number().int(),
  }),
});
