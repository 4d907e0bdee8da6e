import { z } from 'zod';
import { defineEvent } from '#shared/events';

/** A PO was placed with a supplier: its units are incoming at the location from `expectedAt`. */
export const PurchaseOrderPlaced = defineEvent({
  source: 'qm.inbound',
  detailType: 'PurchaseOrderPlaced',
  version: 1,
  data: z.object({
    poId: z.string(),
    supplierId: z.string(),
    locationId: z.string(),
    expectedAt: z.string(),
    currency: z.string(),
    lines: z.array(
      z.object({ sku: z.string(), quantity: z.number().int(), unitCostMinor: z.number().int() }),
    ),
    placedAt: z.string(),
  }),
});
