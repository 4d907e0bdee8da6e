import type { PaymentStatus, ServiceLevel } from '../../../schemas/canonical-order.ts';
import { amazonOrderDetails } from '../../schemas/amazon-order-details.ts';
import {
  type DraftLine,
  type DraftOrder,
  type Normalized,
  nonNegativeMoney,
  parsePayload,
  shipToFrom,
  text,
  utcInstant,
} from './draft.ts';

/** SP-API `ShipmentServiceLevelCategory` → our service level. */
const SERVICE: Record<string, ServiceLevel> = {
  Expedited: 'expedited',
  SecondDay: 'expedited',
  Priority: 'expedited',
  NextDay: 'overnight',
  SameDay: 'overnight',
};

/**
 * The ORDER_CHANGE notification with what connectors fetched from the Orders API → a full
 * draft: lines with prices (`ItemPrice` is for all units: the unit price is it divided by the
 * quantity, rounded to the minor unit), promotion discounts, shipping, tax, total and the
 * ship-to address. The order's own status and purchase date are Amazon's current ones; the
 * notification's `EventTime` stays the order's clock, like every other notification's.
 */
export function normalizeAmazonDetails(
  base: { channelId: string; sourceUpdatedAt: string; fallbackCurrency: string | null },
  raw: unknown,
  payment: Record<string, PaymentStatus>,
): Normalized {
  const { order, orderItems, shippingAddress } = parsePayload(amazonOrderDetails, raw, 'Orders API order');
  if (order.FulfillmentChannel === 'AFN') return { kind: 'ignore', reason: 'fulfilled by Amazon (AFN)' };
  const currency =
    order.OrderTotal?.CurrencyCode ??
    orderItems.find((i) => i.ItemPrice)?.ItemPrice?.CurrencyCode ??
    base.fallbackCurrency;
  const amount = (m: { Amount: string } | undefined, field: string) =>
    m && currency ? nonNegativeMoney(m.Amount, currency, field) : 0;

  let shipping = 0;
  let tax = 0;
  const lines: DraftLine[] = [];
  orderItems.forEach((item, i) => {
    const at = `OrderDetails.orderItems.${i}`;
    shipping +=
      amount(item.ShippingPrice, `${at}.ShippingPrice`) -
      amount(item.ShippingDiscount, `${at}.ShippingDiscount`);
    tax += amount(item.ItemTax, `${at}.ItemTax`) + amount(item.ShippingTax, `${at}.ShippingTax`);
    if (item.QuantityOrdered === 0) return;
    const gross = item.ItemPrice ? amount(item.ItemPrice, `${at}.ItemPrice`) : undefined;
    const sellerSku = text(item.SellerSKU);
    lines.push({
      lineId: item.OrderItemId,
      ...(sellerSku ? { sku: sellerSku } : {}),
      listingKeys: sellerSku ? [sellerSku] : [],
      quantity: item.QuantityOrdered,
      unitPrice: gross === undefined ? null : Math.round(gross / item.QuantityOrdered),
      discount: amount(item.PromotionDiscount, `${at}.PromotionDiscount`),
      ...(text(item.Title) ? { title: text(item.Title) } : {}),
    });
  });

  const a = shippingAddress;
  const status = order.OrderStatus;
  const cancelled = status === 'Canceled';
  const draft: DraftOrder = {
    channelId: base.channelId,
    channelType: 'amazon',
    externalId: order.AmazonOrderId,
    placedAt: utcInstant(order.PurchaseDate, 'OrderDetails.order.PurchaseDate'),
    sourceUpdatedAt: base.sourceUpdatedAt,
    currency,
    lines: lines.length > 0 ? lines : undefined,
    discounts: [],
    shippingPrice: currency ? Math.max(0, shipping) : null,
    taxTotal: currency ? tax : null,
    total: order.OrderTotal && currency ? amount(order.OrderTotal, 'OrderDetails.order.OrderTotal') : null,
    shipTo: a
      ? shipToFrom({
          name: a.Name,
          company: a.CompanyName,
          line1: a.AddressLine1,
          line2: [text(a.AddressLine2), text(a.AddressLine3)].filter(Boolean).join(', '),
          city: a.City,
          region: a.StateOrRegion,
          postalCode: a.PostalCode,
          country: a.CountryCode,
          phone: a.Phone,
        })
      : null,
    serviceLevel: SERVICE[order.ShipmentServiceLevelCategory ?? ''] ?? 'standard',
    ...(text(order.ShipServiceLevel) ? { shippingMethod: text(order.ShipServiceLevel) } : {}),
    paymentStatus: payment[status] ?? 'unknown',
    customerRef: null,
    cancelled,
    cancelledAt: cancelled ? base.sourceUpdatedAt : null,
    channelStatus: status,
  };
  return { kind: 'order', draft };
}
