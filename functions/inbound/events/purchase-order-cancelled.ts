import { z } from 'zod';
import { defineEvent } from '#shared/events';

/** A PO was cancelled: whatever it had not received is no longer incoming. */
export const PurchaseOrderCancelled = defineEvent({
  source: 'qm.inbound',
  detailType: 'PurchaseOrderCancelled',
  version: 1,
  data: z.object({
    poId: z.string(),
    supplierId: z.string(),
    locationId: z.string(),
    reason: z.string(),
    cancelledAt: z.string(),
  }),
});
