import type { PaymentStatus } from '../../../schemas/canonical-order.ts';
import { shopifyOrder } from '../../schemas/shopify-order.ts';
import { sumMinor } from '../money.ts';
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

export const SHOPIFY_ORDER_TOPICS = [
  'orders/create',
  'orders/updated',
  'orders/cancelled',
  'orders/paid',
  'orders/edited',
  'orders/fulfilled',
  'orders/partially_fulfilled',
] as const;

const PAYMENT: Record<string, PaymentStatus> = {
  pending: 'pending',
  authorized: 'authorized',
  partially_paid: 'partially_paid',
  paid: 'paid',
  partially_refunded: 'partially_refunded',
  refunded: 'refunded',
  voided: 'voided',
  expired: 'failed',
};

/**
 * Shopify Order webhook → draft canonical order.
 * - lines: `current_quantity` (after edits) when present, else `quantity`; zero-quantity and
 *   gift-card lines are dropped; an empty `sku` is mapped through the listing of `variant_id`
 * - unit price is `price`; the line discount is the sum of its `discount_allocations`
 * - `updated_at` is the order's clock; `orders/cancelled` or `cancelled_at` cancels
 */
export function normalizeShopify(input: NormalizeInput): Normalized {
  if (input.topic && !(SHOPIFY_ORDER_TOPICS as readonly string[]).includes(input.topic)) {
    return { kind: 'ignore', reason: `topic ${input.topic} is not an order topic` };
  }
  const o = parsePayload(shopifyOrder, parseBody(input.rawBody), 'Shopify order');
  const currency = o.currency.toUpperCase();
  const lines: DraftLine[] = [];
  o.line_items.forEach((item, i) => {
    const quantity = item.current_quantity ?? item.quantity;
    if (item.gift_card || quantity === 0) return;
    const allocations = item.discount_allocations ?? [];
    const discount =
      allocations.length > 0
        ? sumMinor(
            allocations.map((a, j) =>
              nonNegativeMoney(a.amount, currency, `line_items.${i}.discount_allocations.${j}.amount`),
            ),
          )
        : item.total_discount === undefined
          ? 0
          : nonNegativeMoney(item.total_discount, currency, `line_items.${i}.total_discount`);
    lines.push({
      lineId: String(item.id),
      ...(text(item.sku) ? { sku: text(item.sku) } : {}),
      listingKeys: [idText(item.variant_id), idText(item.product_id)].filter((k): k is string => Boolean(k)),
      quantity,
      unitPrice: nonNegativeMoney(item.price, currency, `line_items.${i}.price`),
      discount,
      ...(text(item.name ?? item.title) ? { title: text(item.name ?? item.title) } : {}),
    });
  });

  const shippingLine = o.shipping_lines?.[0];
  const shippingPrice = o.total_shipping_price_set
    ? nonNegativeMoney(
        o.total_shipping_price_set.shop_money.amount,
        currency,
        'total_shipping_price_set.shop_money.amount',
      )
    : o.shipping_lines
      ? sumMinor(
          o.shipping_lines.map((l, i) =>
            l.price === undefined ? 0 : money(l.price, currency, `shipping_lines.${i}.price`),
          ),
        )
      : null;
  const a = o.shipping_address;
  const placedAt = utcInstant(o.created_at, 'created_at');
  const sourceUpdatedAt = o.updated_at ? utcInstant(o.updated_at, 'updated_at') : placedAt;
  const cancelled = Boolean(text(o.cancelled_at)) || input.topic === 'orders/cancelled';
  const method = text(shippingLine?.title) ?? text(shippingLine?.code);

  const draft: DraftOrder = {
    channelId: input.channelId,
    channelType: 'shopify',
    externalId: String(o.id),
    ...(text(o.name) ? { externalNumber: text(o.name) } : {}),
    placedAt,
    sourceUpdatedAt,
    currency,
    lines,
    discounts: (o.discount_codes ?? []).map((d, i) => ({
      ...(text(d.code) ? { code: text(d.code) } : {}),
      amount: nonNegativeMoney(d.amount, currency, `discount_codes.${i}.amount`),
    })),
    shippingPrice,
    taxTotal: o.total_tax == null ? null : nonNegativeMoney(o.total_tax, currency, 'total_tax'),
    total: o.total_price == null ? null : nonNegativeMoney(o.total_price, currency, 'total_price'),
    ...(o.taxes_included === undefined ? {} : { taxIncluded: o.taxes_included }),
    shipTo: a
      ? shipToFrom({
          name: a.name,
          firstName: a.first_name,
          lastName: a.last_name,
          company: a.company,
          line1: a.address1,
          line2: a.address2,
          city: a.city,
          region: a.province_code ?? a.province,
          postalCode: a.zip,
          country: a.country_code,
          phone: a.phone,
        })
      : null,
    serviceLevel: serviceLevelOf(shippingLine?.code, shippingLine?.title),
    ...(method ? { shippingMethod: method } : {}),
    paymentStatus: PAYMENT[o.financial_status ?? ''] ?? 'unknown',
    customerRef: idText(o.customer?.id) ?? null,
    cancelled,
    cancelledAt: cancelled
      ? text(o.cancelled_at)
        ? utcInstant(o.cancelled_at as string, 'cancelled_at')
        : sourceUpdatedAt
      : null,
    ...(cancelled && text(o.cancel_reason) ? { cancelReason: text(o.cancel_reason) } : {}),
    ...(text(o.fulfillment_status) ? { channelStatus: text(o.fulfillment_status) } : {}),
  };
  return { kind: 'order', draft };
}
