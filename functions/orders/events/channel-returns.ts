import { z } from 'zod';
import { defineEvent } from '#shared/events';

const units = z.array(z.object({ sku: z.string(), quantity: z.number().int().positive() }));

/**
 * A customer asked the channel to return units of an order (Shopify `returns/request`). Lines are
 * our SKUs, mapped from the channel's line ids through the order; `reason` is the channel's own
 * code (returns maps it to a configured reason). The id derives from the channel's return id.
 */
export const ChannelReturnRequested = defineEvent({
  source: 'qm.orders',
  detailType: 'ChannelReturnRequested',
  version: 1,
  data: z.object({
    channelId: z.string(),
    orderId: z.string(),
    externalId: z.string(),
    /** The channel's id of the return. */
    channelReturnId: z.string(),
    lines: z.array(
      z.object({ sku: z.string(), quantity: z.number().int().positive(), reason: z.string().optional() }),
    ),
    requestedAt: z.string(),
  }),
});

/**
 * The channel refunded units or money of an order (Shopify `refunds/create`, a refund on a
 * WooCommerce order): made in the channel's admin, or the channel's record of one we posted.
 * The id derives from the channel's refund id.
 */
export const ChannelRefundCreated = defineEvent({
  source: 'qm.orders',
  detailType: 'ChannelRefundCreated',
  version: 1,
  data: z.object({
    channelId: z.string(),
    orderId: z.string(),
    externalId: z.string(),
    /** The channel's id of the refund. */
    channelRefundId: z.string(),
    /** Refunded to the customer, minor units of `currency`. */
    amount: z.number().int().nonnegative(),
    currency: z.string().nullable(),
    /** The refund's note or reason as the channel has it. */
    note: z.string().optional(),
    /** Units refunded, by our SKU (empty for a refund of money only). */
    lines: units,
    createdAt: z.string(),
  }),
});
