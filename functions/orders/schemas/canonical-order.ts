import { z } from 'zod';
import { skuCode } from '#catalog/api';
import { MAX_MONEY_MINOR, MAX_ORDER_DISCOUNTS, MAX_ORDER_LINES, MAX_QUANTITY } from '#shared/bounds';
import { CHANNEL_TYPES } from '../intake/schemas/channel.ts';

/**
 * The canonical order: what every channel's payload is normalized into, and what the rest
 * of Quartermaster reads (docs/canonical-order.md). Money is integer minor units of
 * `currency`; quantities are integers in the SKU's base unit.
 */

export const SERVICE_LEVELS = ['standard', 'expedited', 'overnight', 'pickup'] as const;
export type ServiceLevel = (typeof SERVICE_LEVELS)[number];

export const PAYMENT_STATUSES = [
  'pending',
  'authorized',
  'partially_paid',
  'paid',
  'partially_refunded',
  'refunded',
  'voided',
  'failed',
  'unknown',
] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

const isoInstant = z.iso.datetime({ offset: true });
/** Minor units, |amount| ≤ MAX_MONEY_MINOR (bounds table in #shared/bounds): sums of 500 lines stay exact. */
const minor = z.number().int().min(-MAX_MONEY_MINOR).max(MAX_MONEY_MINOR);
/** Whole base units of a SKU, 1 … MAX_QUANTITY: the reservation line cap, so every order line can be reserved. */
const lineQuantity = z.number().int().positive().max(MAX_QUANTITY);
const currencyCode = z.string().regex(/^[A-Z]{3}$/, 'ISO 4217 code, e.g. USD');

export const shipToAddress = z.object({
  name: z.string(),
  company: z.string().optional(),
  line1: z.string().min(1),
  line2: z.string().optional(),
  city: z.string(),
  region: z.string().optional(),
  postalCode: z.string(),
  country: z.string().length(2, 'ISO 3166-1 alpha-2'),
  phone: z.string().optional(),
});
export type ShipTo = z.infer<typeof shipToAddress>;

export const canonicalLine = z
  .object({
    /** The channel's line id (or the line's position when the channel has none). */
    lineId: z.string().min(1),
    sku: skuCode,
    quantity: lineQuantity,
    /** Per unit, before discounts; null when the channel did not say (Amazon ORDER_CHANGE). */
    unitPrice: minor.nonnegative().nullable(),
    /** Discount allocated to this line, for all its units. */
    discount: minor.nonnegative(),
    /** Kit lines stay one line; the release workflow reserves the components. */
    isKit: z.boolean(),
    /** The channel id the SKU was mapped through (variant id, SellerSKU, product id), if any. */
    listingId: z.string().optional(),
    title: z.string().optional(),
  })
  .superRefine((line, ctx) => {
    const gross = line.unitPrice === null ? null : line.unitPrice * line.quantity;
    if (gross !== null && gross > MAX_MONEY_MINOR) {
      ctx.addIssue({
        code: 'custom',
        path: ['unitPrice'],
        message: `unit price × quantity exceeds ${MAX_MONEY_MINOR}`,
      });
    } else if (gross !== null && line.discount > gross) {
      ctx.addIssue({
        code: 'custom',
        path: ['discount'],
        message: 'exceeds the line price (unit price × quantity)',
      });
    }
  });
export type CanonicalLine = z.infer<typeof canonicalLine>;

export const canonicalOrder = z.object({
  channelId: z.string().min(1),
  channelType: z.enum(CHANNEL_TYPES),
  externalId: z.string().min(1).max(200),
  /** Human-facing number at the channel (Shopify "#2047"), when different from externalId. */
  externalNumber: z.string().optional(),
  placedAt: isoInstant,
  /** The sender's own last-modified time; orders only move forward in this clock. */
  sourceUpdatedAt: isoInstant,
  currency: currencyCode.nullable(),
  lines: z.array(canonicalLine).min(1).max(MAX_ORDER_LINES),
  /** Order-level discounts (codes) as the channel reported them; already allocated to lines. */
  discounts: z
    .array(z.object({ code: z.string().optional(), amount: minor.nonnegative() }))
    .max(MAX_ORDER_DISCOUNTS),
  shippingPrice: minor.nonnegative().nullable(),
  taxTotal: minor.nonnegative().nullable(),
  total: minor.nonnegative().nullable(),
  /** Whether unit prices include tax (EU storefronts usually do). */
  taxIncluded: z.boolean().optional(),
  /** Null when the channel sent none (POS, draft and digital orders; Amazon before enrichment). */
  shipTo: shipToAddress.nullable(),
  serviceLevel: z.enum(SERVICE_LEVELS),
  /** The channel's own shipping method name, kept for the packer and for carrier mapping. */
  shippingMethod: z.string().optional(),
  paymentStatus: z.enum(PAYMENT_STATUSES),
  /** The channel's customer id; never an email address. */
  customerRef: z.string().nullable(),
  cancelled: z.boolean(),
  cancelledAt: isoInstant.nullable(),
  cancelReason: z.string().optional(),
  allowSubstitutes: z.boolean().optional(),
  /** The channel's own order status text (Amazon `Shipped`, WooCommerce `processing`). */
  channelStatus: z.string().optional(),
  /** True when the channel's notification lacked details (prices, address) still to be fetched. */
  detailsPending: z.boolean().optional(),
});
export type CanonicalOrder = z.infer<typeof canonicalOrder>;

/** Order status in Quartermaster. Intake writes `received` and `cancelled`; workflows move on. */
export type OrderStatus = 'received' | 'cancelled' | (string & {});

export interface StoredOrder extends CanonicalOrder {
  orderId: string;
  status: OrderStatus;
  receivedAt: string;
  updatedAt: string;
  /**
   * Sender delivery ids that changed this order, with what each did. Recorded in the same
   * conditional write as the change, so a retried delivery is recognised by that write.
   */
  deliveries: Record<string, 'created' | 'updated' | 'cancelled'>;
  /**
   * The event the order's last intake transition produced. It is written with the order, in
   * the same conditional transaction, and published from the table stream (the outbox), so
   * a write can never happen without its event, nor the event without the write.
   */
  lastEvent?: {
    eventId: string;
    detailType: string;
    occurredAt: string;
    correlationId?: string;
    changed?: string[];
  };
}

// ---------------------------------------------------------------------------------------------
// The wire format custom storefronts POST to /webhooks/orders/{channelId}.

/**
 * A decimal amount as text ("29.00"); a JSON number is accepted and read by its source text.
 * Its size in minor units is checked when it is converted (≤ MAX_MONEY_MINOR, AMOUNT_OUT_OF_RANGE).
 */
export const decimalAmount = z.union([
  z
    .string()
    .max(40)
    .regex(/^-?\d+(\.\d+)?$/, 'a decimal string such as "29.00"'),
  z.number(),
]);

export const storefrontLine = z.object({
  lineId: z.string().min(1).max(128).optional(),
  /** Our SKU. Either sku or externalId (mapped through the channel's listings) is required. */
  sku: z.string().max(128).optional(),
  externalId: z.string().min(1).max(128).optional(),
  quantity: lineQuantity,
  unitPrice: decimalAmount,
  discount: decimalAmount.optional(),
  title: z.string().max(500).optional(),
});

export const storefrontOrder = z.object({
  externalId: z.union([z.string().min(1).max(200), z.number().int()]).transform(String),
  orderNumber: z.string().max(64).optional(),
  placedAt: isoInstant,
  updatedAt: isoInstant.optional(),
  currency: currencyCode,
  lines: z
    .array(storefrontLine)
    .min(1)
    .max(MAX_ORDER_LINES)
    .superRefine((lines, ctx) => {
      lines.forEach((line, i) => {
        if (!line.sku && !line.externalId) {
          ctx.addIssue({ code: 'custom', path: [i, 'sku'], message: 'give sku or externalId' });
        }
      });
    }),
  shipTo: z
    .object({
      name: z.string().min(1).max(200),
      company: z.string().max(200).optional(),
      line1: z.string().min(1).max(200),
      line2: z.string().max(200).optional(),
      city: z.string().min(1).max(100),
      region: z.string().max(100).optional(),
      postalCode: z.string().min(1).max(20),
      country: z.string().length(2, 'ISO 3166-1 alpha-2'),
      phone: z.string().max(40).optional(),
    })
    .nullable(),
  payment: z.object({ status: z.enum(PAYMENT_STATUSES) }),
  serviceLevel: z.enum(SERVICE_LEVELS).optional(),
  shippingMethod: z.string().max(200).optional(),
  shippingPrice: decimalAmount.optional(),
  taxTotal: decimalAmount.optional(),
  total: decimalAmount.optional(),
  taxIncluded: z.boolean().optional(),
  discounts: z
    .array(z.object({ code: z.string().max(100).optional(), amount: decimalAmount }))
    .max(MAX_ORDER_DISCOUNTS)
    .optional(),
  customerRef: z.string().max(200).nullable().optional(),
  cancelledAt: isoInstant.nullable().optional(),
  cancelReason: z.string().max(500).optional(),
  allowSubstitutes: z.boolean().optional(),
});
