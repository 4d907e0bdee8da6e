import { z } from 'zod';
import { defineEvent } from '#shared/events';

/**
 * Units of a PO were counted in at the dock, one event per accepted scan: good units are in the
 * location's RECEIVING bin, damaged ones in its damaged bucket. Carries the PO line's unit cost so
 * finance can value the receipt without reading the PO.
 */
export const GoodsReceived = defineEvent({
  source: 'qm.inbound',
  detailType: 'GoodsReceived',
  version: 1,
  data: z.object({
    asnId: z.string(),
    poId: z.string(),
    scanId: z.string(),
    locationId: z.string(),
    sku: z.string(),
    quantity: z.number().int(),
    condition: z.enum(['good', 'damaged']),
    currency: z.string(),
    unitCostMinor: z.number().int(),
    receivedAt: z.string(),
  }),
});
