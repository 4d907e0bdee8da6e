import { z } from 'zod';
import { defineEvent } from '#shared/events';

/**
 * A refund to post to the channel (the connectors context will send it as a Shopify or WooCommerce
 * refund and answer with POST /api/returns/{id}/refund). One per attempt: a retry after a failure
 * is attempt n + 1; consumers deduplicate by `returnId` + `attempt`.
 */
export const RefundRequested = defineEvent({
  source: 'qm.returns',
  detailType: 'RefundRequested',
  version: 1,
  data: z.object({
    returnId: z.string(),
    orderId: z.string(),
    channelId: z.string(),
    /** The order's id at the channel (what the channel's refund API needs). */
    externalId: z.string(),
    attempt: z.number().int().positive(),
    /** Minor units of `currency`. */
    amount: z.number().int().nonnegative(),
    currency: z.string().nullable(),
    lines: z.array(
      z.object({
        sku: z.string(),
        quantity: z.number().int().positive(),
        amount: z.number().int().nonnegative(),
      }),
    ),
    requestedAt: z.string().datetime(),
  }),
});
