import type { PaymentStatus } from '../../../schemas/canonical-order.ts';
import { wooDeletedOrder, wooOrder } from '../../schemas/woocommerce-order.ts';
import {
  type DraftLine,
  type DraftOrder,
  idText,
  money,
  type Normalized,
  type NormalizeInput,
  nonNegativeMoney,
  parseBody,
  parsePayload,
  serviceLevelOf,
  shipToFrom,
  text,
  utcInstant,
} from './draft.ts';

export const WOO_ORDER_TOPICS = [
  'order.created',
  'order.updated',
  'order.restored',
  'order.deleted',
] as const;

/** WooCommerce statuses that mean "do not ship". */
const CANCELLED_STATUSES = new Set(['cancelled', 'failed', 'trash']);

const PAYMENT_BY_STATUS: Record<string, PaymentStatus> = {
  pending: 'pending',
  'on-hold': 'pending',
  processing: 'pending',
  completed: 'pending',
  failed: 'failed',
  cancelled: 'voided',
  refunded: 'refunded',
};

/**
 * WooCommerce order webhook → draft canonical order.
 * - lines: listing keys are `variation_id` (when not 0) then `product_id`
 * - unit price is the line's `price` (its exact JSON source text); the line discount is
 *   `subtotal − total` (coupons)
 * - `date_modified_gmt` is the order's clock (GMT without an offset)
 * - paid when `date_paid_gmt` is set; cancelled for status cancelled, failed or trash;
 *   `order.deleted` (moved to trash; the body is only `{ id }`) cancels as of its arrival
 */
export function normalizeWooCommerce(input: NormalizeInput): Normalized {
  if (input.topic && !(WOO_ORDER_TOPICS as readonly string[]).includes(input.topic)) {
    return { kind: 'ignore', reason: `topic ${input.topic} is not an order topic` };
  }
  const body = parseBody(input.rawBody);
  if (input.topic === 'order.deleted') return { kind: 'order', draft: deletedDraft(input, body) };
  const o = parsePayload(wooOrder, body, 'WooCommerce order');
  const currency = o.currency.toUpperCase();

  const lines: DraftLine[] = [];
  o.line_items.forEach((item, i) => {
    if (item.quantity === 0) return;
    const subtotal =
      item.subtotal === undefined ? undefined : money(item.subtotal, currency, `line_items.${i}.subtotal`);
    const total = item.total === undefined ? undefined : money(item.total, currency, `line_items.${i}.total`);
    lines.push({
      lineId: String(item.id),
      ...(text(item.sku) ? { sku: text(item.sku) } : {}),
      listingKeys: [idText(item.variation_id), idText(item.product_id)].filter((k): k is string =>
        Boolean(k),
      ),
      quantity: item.quantity,
      unitPrice: nonNegativeMoney(item.price, currency, `line_items.${i}.price`),
      discount: subtotal !== undefined && total !== undefined ? Math.max(0, subtotal - total) : 0,
      ...(text(item.name) ? { title: text(item.name) } : {}),
    });
  });

  const placedAt = utcInstant(o.date_created_gmt, 'date_created_gmt', true);
  const sourceUpdatedAt = o.date_modified_gmt
    ? utcInstant(o.date_modified_gmt, 'date_modified_gmt', true)
    : placedAt;
  const cancelled = CANCELLED_STATUSES.has(o.status);
  const shippingLine = o.shipping_lines?.[0];
  const method = text(shippingLine?.method_title);
  const s = o.shipping;

  const draft: DraftOrder = {
    channelId: input.channelId,
    channelType: 'woocommerce',
    externalId: String(o.id),
    ...(o.number !== undefined && String(o.number) !== String(o.id)
      ? { externalNumber: String(o.number) }
      : {}),
    placedAt,
    sourceUpdatedAt,
    currency,
    lines,
    discounts: (o.coupon_lines ?? []).map((c, i) => ({
      ...(text(c.code) ? { code: text(c.code) } : {}),
      amount:
        c.discount === undefined ? 0 : nonNegativeMoney(c.discount, currency, `coupon_lines.${i}.discount`),
    })),
    shippingPrice:
      o.shipping_total === undefined ? null : nonNegativeMoney(o.shipping_total, currency, 'shipping_total'),
    taxTotal: o.total_tax === undefined ? null : nonNegativeMoney(o.total_tax, currency, 'total_tax'),
    total: o.total === undefined ? null : nonNegativeMoney(o.total, currency, 'total'),
    ...(o.prices_include_tax === undefined ? {} : { taxIncluded: o.prices_include_tax }),
    shipTo: s
      ? shipToFrom({
          firstName: s.first_name,
          lastName: s.last_name,
          company: s.company,
          line1: s.address_1,
          line2: s.address_2,
          city: s.city,
          region: s.state,
          postalCode: s.postcode,
          country: s.country,
          phone: s.phone,
        })
      : null,
    serviceLevel: serviceLevelOf(shippingLine?.method_id, method),
    ...(method ? { shippingMethod: method } : {}),
    paymentStatus:
      text(o.date_paid_gmt) && !cancelled && o.status !== 'refunded'
        ? 'paid'
        : (PAYMENT_BY_STATUS[o.status] ?? 'unknown'),
    customerRef: o.customer_id ? String(o.customer_id) : null,
    cancelled,
    cancelledAt: cancelled ? sourceUpdatedAt : null,
    ...(cancelled ? { cancelReason: `WooCommerce status ${o.status}` } : {}),
    channelStatus: o.status,
  };
  return { kind: 'order', draft };
}

function deletedDraft(input: NormalizeInput, body: unknown): DraftOrder {
  const { id } = parsePayload(wooDeletedOrder, body, 'WooCommerce order.deleted');
  return {
    channelId: input.channelId,
    channelType: 'woocommerce',
    externalId: String(id),
    placedAt: input.receivedAt,
    sourceUpdatedAt: input.receivedAt,
    currency: null,
    lines: undefined,
    partial: true,
    discounts: [],
    shippingPrice: null,
    taxTotal: null,
    total: null,
    shipTo: null,
    serviceLevel: 'standard',
    paymentStatus: 'unknown',
    customerRef: null,
    cancelled: true,
    cancelledAt: input.receivedAt,
    cancelReason: 'WooCommerce order deleted',
    channelStatus: 'trash',
  };
}
