import type { PaymentStatus } from '../../../schemas/canonical-order.ts';
import { amazonOrderChange } from '../../schemas/amazon-order-change.ts';
import { normalizeAmazonDetails } from './amazon-details.ts';
import {
  type DraftLine,
  type DraftOrder,
  type Normalized,
  type NormalizeInput,
  parseBody,
  parsePayload,
  text,
  utcInstant,
} from './draft.ts';

/** Amazon marketplace → its currency (SP-API marketplace ids are public constants). */
export const MARKETPLACE_CURRENCY: Record<string, string> = {
  ATVPDKIKX0DER: 'USD',
  A2EUQ1WTGCTBG2: 'CAD',
  A1AM78C64UM0Y8: 'MXN',
  A2Q3Y263D00KWC: 'BRL',
  A1F83G8C2ARO7P: 'GBP',
  A1PA6795UKMFR9: 'EUR',
  A13V1IB3VIYZZH: 'EUR',
  APJ6JRA9NG5V4: 'EUR',
  A1RKKUPIHCS9HS: 'EUR',
  A1805IZSGTT6HS: 'EUR',
  AMEN7PMS3EDWL: 'EUR',
  A28R8C7NBKEWEA: 'EUR',
  A2NODRKZP88ZB9: 'SEK',
  A1C3SOZRARQ6R3: 'PLN',
  A33AVAJ2PDY3EV: 'TRY',
  ARBP9OOSHTCHU: 'EGP',
  A17E79C6D8DWNP: 'SAR',
  A2VIGQ35RCS4UG: 'AED',
  AE08WJ6YKNBMC: 'ZAR',
  A21TJRUUN4KGV: 'INR',
  A19VAU5U5O7RUS: 'SGD',
  A39IBJ37TRP1C6: 'AUD',
  A1VC38T7YXB528: 'JPY',
};

const PAYMENT: Record<string, PaymentStatus> = {
  Pending: 'pending',
  PendingAvailability: 'pending',
  Unshipped: 'paid',
  PartiallyShipped: 'paid',
  Shipped: 'paid',
  InvoiceUnconfirmed: 'paid',
  Canceled: 'voided',
  Unfulfillable: 'failed',
};

/** Reads only who the notification is for, to find the channel; tolerant of anything else. */
export function amazonChannelHint(rawBody: string): { sellerId?: string; marketplaceId?: string } {
  try {
    const body = JSON.parse(rawBody) as {
      Payload?: { OrderChangeNotification?: { SellerId?: unknown; Summary?: { MarketplaceId?: unknown } } };
    };
    const n = body?.Payload?.OrderChangeNotification;
    return {
      ...(typeof n?.SellerId === 'string' ? { sellerId: n.SellerId } : {}),
      ...(typeof n?.Summary?.MarketplaceId === 'string' ? { marketplaceId: n.Summary.MarketplaceId } : {}),
    };
  } catch {
    return {};
  }
}

/**
 * SP-API ORDER_CHANGE → draft canonical order. The notification is a summary: items carry
 * SellerSKU and quantity but no price, and there is no address. Such orders are taken with
 * `unitPrice: null`, `shipTo: null` and `detailsPending: true` (the release workflow's address
 * hold keeps them until enrichment), so stock is reserved as early as possible. Every draft is
 * `partial`: on an order already known, only its status moves. Amazon-fulfilled (AFN) orders
 * are not ours to ship and are ignored.
 */
export function normalizeAmazon(input: NormalizeInput): Normalized {
  const body = parseBody(input.rawBody);
  const n = parsePayload(amazonOrderChange, body, 'SP-API ORDER_CHANGE notification');
  const change = n.Payload.OrderChangeNotification;
  const summary = change.Summary;
  if (summary?.FulfillmentType === 'AFN') return { kind: 'ignore', reason: 'fulfilled by Amazon (AFN)' };

  const sourceUpdatedAt = utcInstant(n.EventTime, 'EventTime');
  // Enriched by connectors (the order, its items and address from the Orders API): a full order.
  const details = (body as { OrderDetails?: unknown }).OrderDetails;
  if (details !== undefined)
    return normalizeAmazonDetails(
      {
        channelId: input.channelId,
        sourceUpdatedAt,
        fallbackCurrency: MARKETPLACE_CURRENCY[summary?.MarketplaceId ?? ''] ?? null,
      },
      details,
      PAYMENT,
    );
  const items = summary?.OrderItems ?? [];
  const lines: DraftLine[] = items
    .filter((item) => item.Quantity > 0)
    .map((item) => {
      const sellerSku = text(item.SellerSKU);
      return {
        lineId: item.OrderItemId,
        ...(sellerSku ? { sku: sellerSku } : {}),
        listingKeys: sellerSku ? [sellerSku] : [],
        quantity: item.Quantity,
        unitPrice: null,
        discount: 0,
      };
    });
  const status = summary?.OrderStatus ?? 'Unknown';
  const cancelled = status === 'Canceled';

  const draft: DraftOrder = {
    channelId: input.channelId,
    channelType: 'amazon',
    externalId: change.AmazonOrderId,
    placedAt: summary?.PurchaseDate
      ? utcInstant(summary.PurchaseDate, 'Summary.PurchaseDate')
      : sourceUpdatedAt,
    sourceUpdatedAt,
    currency: MARKETPLACE_CURRENCY[summary?.MarketplaceId ?? ''] ?? null,
    lines: lines.length > 0 ? lines : undefined,
    partial: true,
    discounts: [],
    shippingPrice: null,
    taxTotal: null,
    total: null,
    shipTo: null,
    serviceLevel: 'standard',
    paymentStatus: PAYMENT[status] ?? 'unknown',
    customerRef: null,
    cancelled,
    cancelledAt: cancelled ? sourceUpdatedAt : null,
    ...(cancelled && change.OrderChangeTrigger?.ChangeReason
      ? { cancelReason: change.OrderChangeTrigger.ChangeReason }
      : {}),
    channelStatus: status,
    detailsPending: true,
  };
  return { kind: 'order', draft };
}
