import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageReferenceId } from '../../functions/connectors/adapters/amazon.ts';
import {
  amazonDetailsWanted,
  knownInFull,
} from '../../functions/orders/intake/core/amazon-details-request.ts';
import { normalizeAmazon } from '../../functions/orders/intake/core/normalize/amazon.ts';
import type { DraftOrder } from '../../functions/orders/intake/core/normalize/draft.ts';
import type { Channel } from '../../functions/orders/intake/schemas/channel.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/channels');
const notification = JSON.parse(readFileSync(path.join(FIXTURES, 'amazon-sp-api-order-change.json'), 'utf8'));

const money = (Amount: string) => ({ CurrencyCode: 'BRL', Amount });
const details = (over: { items?: unknown[]; address?: unknown; status?: string; channel?: string } = {}) => ({
  order: {
    AmazonOrderId: '701-1588164-9632243',
    PurchaseDate: '2025-12-01T18:24:39Z',
    OrderStatus: over.status ?? 'Unshipped',
    FulfillmentChannel: over.channel ?? 'MFN',
    MarketplaceId: 'A2Q3Y263D00KWC',
    OrderTotal: money('110.00'),
    ShipServiceLevel: 'Std BR Dom',
    ShipmentServiceLevelCategory: 'NextDay',
  },
  orderItems: over.items ?? [
    {
      OrderItemId: '148197599524161',
      SellerSKU: '132577',
      QuantityOrdered: 3,
      ItemPrice: money('100.00'),
      ItemTax: money('4.00'),
      ShippingPrice: money('12.00'),
      ShippingDiscount: money('2.00'),
      PromotionDiscount: money('4.00'),
    },
  ],
  shippingAddress:
    over.address === undefined
      ? {
          Name: 'Maria Silva',
          AddressLine1: 'Rua Augusta, 1500',
          AddressLine2: 'Apto 12',
          AddressLine3: 'Consolação',
          City: 'São Paulo',
          StateOrRegion: 'SP',
          PostalCode: '01304-001',
          CountryCode: 'BR',
        }
      : over.address,
});
const normalize = (d: unknown) => {
  const out = normalizeAmazon({
    channelId: 'amazon-br',
    channelType: 'amazon',
    rawBody: JSON.stringify({ ...notification, OrderDetails: d }),
    receivedAt: '2025-12-01T19:31:00.000Z',
  });
  return out;
};

describe('an ORDER_CHANGE with its Orders API details', () => {
  it('is a full order: unit prices from ItemPrice ÷ quantity, discounts, shipping, tax, total, address', () => {
    const out = normalize(details());
    expect(out.kind).toBe('order');
    const draft = (out as { draft: DraftOrder }).draft;
    expect(draft.partial).toBeUndefined();
    expect(draft.detailsPending).toBeUndefined();
    expect(draft).toMatchObject({
      externalId: '701-1588164-9632243',
      currency: 'BRL',
      placedAt: '2025-12-01T18:24:39.000Z',
      // The notification's clock, like every other notification of the order.
      sourceUpdatedAt: '2025-12-01T19:30:15.261Z',
      total: 11000,
      taxTotal: 400,
      shippingPrice: 1000,
      serviceLevel: 'overnight',
      shippingMethod: 'Std BR Dom',
      paymentStatus: 'paid',
      channelStatus: 'Unshipped',
      shipTo: {
        name: 'Maria Silva',
        line1: 'Rua Augusta, 1500',
        line2: 'Apto 12, Consolação',
        city: 'São Paulo',
        region: 'SP',
        postalCode: '01304-001',
        country: 'BR',
      },
    });
    // 100.00 for 3 units: 33.33 each, rounded to the centavo.
    expect(draft.lines).toEqual([
      {
        lineId: '148197599524161',
        sku: '132577',
        listingKeys: ['132577'],
        quantity: 3,
        unitPrice: 3333,
        discount: 400,
      },
    ]);
  });

  it('keeps an order Amazon gave no address for without one (the release holds it), and ignores AFN', () => {
    const out = normalize(details({ address: null }));
    expect((out as { draft: DraftOrder }).draft.shipTo).toBeNull();
    expect(normalize(details({ channel: 'AFN' }))).toEqual({
      kind: 'ignore',
      reason: 'fulfilled by Amazon (AFN)',
    });
  });

  it('refuses details that are not an Orders API order as INVALID_PAYLOAD', () => {
    expect(() => normalize({ order: {}, orderItems: [], shippingAddress: null })).toThrow(
      expect.objectContaining({ code: 'INVALID_PAYLOAD' }),
    );
  });
});

describe('which notifications are enriched', () => {
  const channel = (tokenRef?: string) =>
    ({
      channelId: 'amazon-br',
      type: 'amazon',
      locationIds: [],
      ...(tokenRef ? { connection: { tokenRef } } : {}),
      createdAt: '',
      updatedAt: '',
    }) as Channel;
  const body = (status: string, fulfillment = 'MFN') => {
    const n = structuredClone(notification);
    n.Payload.OrderChangeNotification.Summary.OrderStatus = status;
    n.Payload.OrderChangeNotification.Summary.FulfillmentType = fulfillment;
    return JSON.stringify(n);
  };

  it('asks for details on a connected channel past payment, for merchant-fulfilled orders only', () => {
    expect(amazonDetailsWanted(channel('channels/amazon-br/api-token'), body('Unshipped'))).toEqual({
      amazonOrderId: '701-1588164-9632243',
    });
    expect(amazonDetailsWanted(channel(), body('Unshipped'))).toBeUndefined();
    expect(amazonDetailsWanted(channel('t'), body('Pending'))).toBeUndefined();
    expect(amazonDetailsWanted(channel('t'), body('Canceled'))).toBeUndefined();
    expect(amazonDetailsWanted(channel('t'), body('Unshipped', 'AFN'))).toBeUndefined();
    expect(amazonDetailsWanted(channel('t'), '{"not":"a notification"}')).toBeUndefined();
  });

  it('treats an order taken from a summary alone as not known in full', () => {
    expect(knownInFull(undefined)).toBe(false);
    expect(knownInFull({ detailsPending: true } as never)).toBe(false);
    expect(knownInFull({} as never)).toBe(true);
  });
});

describe('shipment confirmation', () => {
  it("derives Amazon's numeric packageReferenceId from our shipment id, the same every time", () => {
    const a = packageReferenceId('SH-1');
    expect(a).toMatch(/^[1-9]\d*$/);
    expect(packageReferenceId('SH-1')).toBe(a);
    expect(packageReferenceId('SH-2')).not.toBe(a);
  });
});
