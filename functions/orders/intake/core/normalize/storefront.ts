import { storefrontOrder } from '../../../schemas/canonical-order.ts';
import {
  type DraftOrder,
  type Normalized,
  type NormalizeInput,
  nonNegativeMoney,
  parseBody,
  parsePayload,
  serviceLevelOf,
  shipToFrom,
  utcInstant,
} from './draft.ts';

/**
 * Custom storefront (canonical order JSON, docs/canonical-order.md) → draft canonical order.
 * The storefront already speaks our shape; this converts decimal amounts to minor units and
 * fills the defaults. `updatedAt` is the order's clock (placedAt when absent, so a resend of
 * the same order without it is never "newer").
 */
export function normalizeStorefront(input: NormalizeInput): Normalized {
  const o = parsePayload(storefrontOrder, parseBody(input.rawBody), 'canonical order');
  const currency = o.currency;
  const placedAt = utcInstant(o.placedAt, 'placedAt');
  const sourceUpdatedAt = o.updatedAt ? utcInstant(o.updatedAt, 'updatedAt') : placedAt;
  const cancelled = Boolean(o.cancelledAt);
  const draft: DraftOrder = {
    channelId: input.channelId,
    channelType: 'generic',
    externalId: o.externalId,
    ...(o.orderNumber ? { externalNumber: o.orderNumber } : {}),
    placedAt,
    sourceUpdatedAt,
    currency,
    lines: o.lines.map((line, i) => ({
      lineId: line.lineId ?? String(i + 1),
      ...(line.sku ? { sku: line.sku } : {}),
      listingKeys: line.externalId ? [line.externalId] : [],
      quantity: line.quantity,
      unitPrice: nonNegativeMoney(line.unitPrice, currency, `lines.${i}.unitPrice`),
      discount:
        line.discount === undefined ? 0 : nonNegativeMoney(line.discount, currency, `lines.${i}.discount`),
      ...(line.title ? { title: line.title } : {}),
    })),
    discounts: (o.discounts ?? []).map((d, i) => ({
      ...(d.code ? { code: d.code } : {}),
      amount: nonNegativeMoney(d.amount, currency, `discounts.${i}.amount`),
    })),
    shippingPrice:
      o.shippingPrice === undefined ? null : nonNegativeMoney(o.shippingPrice, currency, 'shippingPrice'),
    taxTotal: o.taxTotal === undefined ? null : nonNegativeMoney(o.taxTotal, currency, 'taxTotal'),
    total: o.total === undefined ? null : nonNegativeMoney(o.total, currency, 'total'),
    ...(o.taxIncluded === undefined ? {} : { taxIncluded: o.taxIncluded }),
    shipTo: o.shipTo ? shipToFrom(o.shipTo) : null,
    serviceLevel: o.serviceLevel ?? serviceLevelOf(o.shippingMethod),
    ...(o.shippingMethod ? { shippingMethod: o.shippingMethod } : {}),
    paymentStatus: o.payment.status,
    customerRef: o.customerRef ?? null,
    cancelled,
    cancelledAt: o.cancelledAt ? utcInstant(o.cancelledAt, 'cancelledAt') : null,
    ...(o.cancelReason ? { cancelReason: o.cancelReason } : {}),
    ...(o.allowSubstitutes === undefined ? {} : { allowSubstitutes: o.allowSubstitutes }),
  };
  return { kind: 'order', draft };
}
