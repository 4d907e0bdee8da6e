import { z } from 'zod';
import { defineEvent } from '#shared/events';

/** The 3PL accepted one node's part of an order (the hand-off is done; a duplicate answer counts). */
export const ThreePLOrderSent = defineEvent({
  source: 'qm.connectors',
  detailType: 'ThreePLOrderSent',
  version: 1,
  data: z.object({
    locationId: z.string(),
    orderId: z.string(),
    reservationId: z.string(),
    providerOrderId: z.string(),
    sentAt: z.string(),
  }),
});

/** The 3PL reported a problem with an order: an exception, a hold or a cancellation on its side. */
export const ThreePLOrderStatusChanged = defineEvent({
  source: 'qm.connectors',
  detailType: 'ThreePLOrderStatusChanged',
  version: 1,
  data: z.object({
    locationId: z.string(),
    orderId: z.string(),
    status: z.enum(['exception', 'on_hold', 'cancelled']),
    reason: z.string().optional(),
    webhookId: z.string(),
    at: z.string(),
  }),
});

/**
 * A 3PL's inventory snapshot disagrees with our position of a SKU at its node: a line of an open
 * reconciliation, with its evidence. Nothing changes stock until the reconciliation is approved.
 * (Inventory's own InventoryMismatchDetected, source `qm.inventory`, is about broken invariants.)
 */
export const InventoryMismatchDetected = defineEvent({
  source: 'qm.connectors',
  detailType: 'InventoryMismatchDetected',
  version: 1,
  data: z.object({
    reconciliationId: z.string(),
    locationId: z.string(),
    sku: z.string(),
    ours: z.object({ onHand: z.number(), reserved: z.number(), available: z.number() }),
    reported: z.number(),
    delta: z.number(),
    evidence: z.object({ source: z.literal('3pl-snapshot'), asOf: z.string(), webhookId: z.string() }),
    detectedAt: z.string(),
  }),
});

/**
 * A 3PL reconciliation was approved: its differences are posted as adjustments, so our record
 * and the 3PL's agree again for these SKUs (the mismatch alerts close on it).
 */
export const ThreePLReconciliationApproved = defineEvent({
  source: 'qm.connectors',
  detailType: 'ThreePLReconciliationApproved',
  version: 1,
  data: z.object({
    reconciliationId: z.string(),
    locationId: z.string(),
    skus: z.array(z.string()),
    approvedAt: z.string(),
  }),
});
