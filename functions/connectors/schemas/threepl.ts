import { z } from 'zod';
import { MAX_QUANTITY } from '#shared/bounds';

/** As inventory validates location ids (safe in URLs and keys). */
export const locationParams = z.object({
  locationId: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, ".", "_" or "-"'),
});

const sku = z.string().min(1).max(64);
const referenceId = z.string().min(1).max(200);
const isoTime = z.iso.datetime({ offset: true });

/** What a 3PL says about an order it holds: an exception, a hold or a cancellation (free-form extras kept out). */
const orderProblem = z.object({
  referenceId,
  reason: z.string().max(500).optional(),
  message: z.string().max(500).optional(),
});

/**
 * The generic 3PL webhook body (docs/threepl-webhooks.md): `{ type, data }`; other top-level
 * fields (a Standard Webhooks `timestamp`) are allowed and ignored.
 */
export const threePLWebhookBody = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('shipment.shipped'),
    data: z.object({
      referenceId,
      carrier: z.string().trim().min(1).max(64),
      service: z.string().trim().min(1).max(64),
      trackingNumber: z.string().trim().min(1).max(128),
      trackingUrl: z
        .url({ protocol: /^https?$/ })
        .max(2048)
        .optional(),
      lines: z
        .array(z.object({ sku, quantity: z.number().int().positive().max(MAX_QUANTITY) }))
        .min(1)
        .max(500),
      shippedAt: isoTime,
    }),
  }),
  z.object({ type: z.literal('shipment.exception'), data: orderProblem }),
  z.object({ type: z.literal('order.on_hold'), data: orderProblem }),
  z.object({ type: z.literal('order.cancelled'), data: orderProblem }),
  z.object({
    type: z.literal('inventory.snapshot'),
    data: z.object({
      asOf: isoTime,
      items: z
        .array(z.object({ sku, onHand: z.number().int().min(0).max(MAX_QUANTITY) }))
        .min(1)
        .max(1000),
    }),
  }),
]);
export type ThreePLWebhookBody = z.infer<typeof threePLWebhookBody>;

export const listReconciliationsQuery = z.object({
  locationId: locationParams.shape.locationId.optional(),
  status: z.enum(['open', 'approved']).optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
  cursor: z.string().max(2000).optional(),
});

export const reconciliationParams = z.object({ id: z.string().min(1).max(100) });

export const approveReconciliationBody = z.object({ note: z.string().trim().min(1).max(500) }).strict();

export const listThreePLOrdersQuery = z.object({
  status: z.enum(['requested', 'shipped', 'exception', 'on_hold', 'cancelled']).optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
  cursor: z.string().max(2000).optional(),
});
