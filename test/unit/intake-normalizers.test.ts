import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { IntakeFailure } from '../../functions/orders/errors.ts';
import { normalizeAmazon } from '../../functions/orders/intake/core/normalize/amazon.ts';
import type { DraftOrder, Normalized } from '../../functions/orders/intake/core/normalize/draft.ts';
import { normalizeShopify } from '../../functions/orders/intake/core/normalize/shopify.ts';
import { normalizeStorefront } from '../../functions/orders/intake/core/normalize/storefront.ts';
import { normalizeWooCommerce } from '../../functions/orders/intake/core/normalize/woocommerce.ts';
import {
  type ListingLookup,
  resolveLines,
  type SkuCatalog,
} from '../../functions/orders/intake/core/resolve-lines.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/channels');
const raw = (name: string) => readFileSync(path.join(FIXTURES, name), 'utf8');
const json = (name: string) => JSON.parse(raw(name));
const RECEIVED = '2026-11-20T15:00:00.000Z';

function draftOf(result: Normalized): DraftOrder {
  if (result.kind !== 'order') throw new Error(`expected an order, got ignore: ${result.reason}`);
  return result.draft;
}

const shopify = (body: unknown, topic = 'orders/create') =>
  draftOf(
    normalizeShopify({
      channelId: 'shop-us',
      channelType: 'shopify',
      rawBody: typeof body === 'string' ? body : JSON.stringify(body),
      topic,
      receivedAt: RECEIVED,
    }),
  );

function failureOf(fn: () => unknown): IntakeFailure {
  try {
    fn();
  } catch (error) {
    if (error instanceof IntakeFailure) return error;
    throw error;
  }
  throw new Error('expected an IntakeFailure');
}

describe('Shopify normalizer', () => {
  it('maps the orders/create fixture to the canonical draft, money in minor units', () => {
    expect(shopify(raw('shopify-orders-create.json'))).toEqual({
      channelId: 'shop-us',
      channelType: 'shopify',
      externalId: '5830119948521',
      externalNumber: '#2047',
      placedAt: '2026-11-20T14:14:02.000Z',
      sourceUpdatedAt: '2026-11-20T14:14:04.000Z',
      currency: 'USD',
      lines: [
        {
          lineId: '14982730012345',
          sku: 'TEE-ORG-BLK-M',
          listingKeys: ['45012345678901', '8123456789012'],
          quantity: 2,
          unitPrice: 2900,
          discount: 492,
          title: 'Organic Tee - Black / M',
        },
        {
          lineId: '14982730012346',
          sku: 'KIT-STARTER',
          listingKeys: ['45012345679900', '8123456789020'],
          quantity: 1,
          unitPrice: 6000,
          discount: 508,
          title: 'Starter Kit (tee + mug)',
        },
      ],
      discounts: [{ code: 'WELCOME10', amount: 1000 }],
      shippingPrice: 695,
      taxTotal: 795,
      total: 12195,
      shipTo: {
        name: 'Avery Lin',
        line1: '410 Terry Ave N',
        line2: 'Apt 5',
        city: 'Seattle',
        region: 'WA',
        postalCode: '98109',
        country: 'US',
        phone: '+12065550123',
      },
      serviceLevel: 'standard',
      shippingMethod: 'Standard (3-5 days)',
      paymentStatus: 'paid',
      customerRef: '7101928374650',
      cancelled: false,
      cancelledAt: null,
    });
  });

  it('survives a null shipping address, customer and email (POS, drafts)', () => {
    const draft = shopify({
      ...json('shopify-orders-create.json'),
      shipping_address: null,
      customer: null,
      email: null,
    });
    expect(draft.shipTo).toBeNull();
    expect(draft.customerRef).toBeNull();
  });

  it('keeps an address without a street line out, rather than shipping to half an address', () => {
    const o = json('shopify-orders-create.json');
    expect(shopify({ ...o, shipping_address: { ...o.shipping_address, address1: '  ' } }).shipTo).toBeNull();
  });

  it('leaves an empty sku out so the line is mapped by its variant id', () => {
    const o = json('shopify-orders-create.json');
    const draft = shopify({ ...o, line_items: [{ ...o.line_items[0], sku: '' }] });
    expect(draft.lines?.[0]).not.toHaveProperty('sku');
    expect(draft.lines?.[0]?.listingKeys[0]).toBe('45012345678901');
  });

  it('uses current_quantity after edits and drops removed and gift-card lines', () => {
    const o = json('shopify-orders-create.json');
    const [tee, kit] = o.line_items;
    const draft = shopify({
      ...o,
      line_items: [
        { ...tee, current_quantity: 1 },
        { ...kit, current_quantity: 0 },
        { ...tee, id: 3, sku: 'GIFT', gift_card: true },
      ],
    });
    expect(draft.lines?.map((l) => [l.lineId, l.quantity])).toEqual([['14982730012345', 1]]);
  });

  it('cancels on orders/cancelled at cancelled_at, with the reason', () => {
    const o = json('shopify-orders-create.json');
    const draft = shopify(
      { ...o, cancelled_at: '2026-11-21T08:00:00-05:00', cancel_reason: 'fraud' },
      'orders/cancelled',
    );
    expect(draft).toMatchObject({
      cancelled: true,
      cancelledAt: '2026-11-21T13:00:00.000Z',
      cancelReason: 'fraud',
    });
  });

  it('ignores topics that are not about orders', () => {
    const result = normalizeShopify({
      channelId: 'c',
      channelType: 'shopify',
      rawBody: '{}',
      topic: 'products/update',
      receivedAt: RECEIVED,
    });
    expect(result).toEqual({ kind: 'ignore', reason: 'topic products/update is not an order topic' });
  });

  it('maps express shipping lines to a faster service level', () => {
    const o = json('shopify-orders-create.json');
    const draft = shopify({
      ...o,
      shipping_lines: [{ code: 'EXPRESS', title: 'Express (1-2 days)', price: '19.00' }],
    });
    expect(draft.serviceLevel).toBe('expedited');
  });

  it('fails a wrong type with the field named, and a truncated body as malformed', () => {
    const o = json('shopify-orders-create.json');
    const wrongType = failureOf(() => shopify({ ...o, line_items: [{ ...o.line_items[0], quantity: '2' }] }));
    expect(wrongType.code).toBe('INVALID_PAYLOAD');
    expect(wrongType.issues.map((i) => i.field)).toEqual(['line_items.0.quantity']);
    expect(failureOf(() => shopify(raw('shopify-orders-create.json').slice(0, 200))).code).toBe(
      'MALFORMED_JSON',
    );
    expect(
      failureOf(() => shopify({ ...o, line_items: [{ ...o.line_items[0], price: '29,00' }] })).code,
    ).toBe('INVALID_AMOUNT');
  });
});

describe('WooCommerce normalizer', () => {
  const woo = (body: unknown, topic = 'order.created') =>
    draftOf(
      normalizeWooCommerce({
        channelId: 'woo-eu',
        channelType: 'woocommerce',
        rawBody: typeof body === 'string' ? body : JSON.stringify(body),
        topic,
        receivedAt: RECEIVED,
      }),
    );

  it('maps the order.created fixture, reading the float `price` by its exact source text', () => {
    expect(woo(raw('woocommerce-order-created.json'))).toMatchObject({
      channelType: 'woocommerce',
      externalId: '7311',
      placedAt: '2026-11-20T14:02:11.000Z',
      sourceUpdatedAt: '2026-11-20T14:02:13.000Z',
      currency: 'EUR',
      lines: [
        {
          lineId: '991',
          sku: 'MUG-STN-SND',
          listingKeys: ['230'],
          quantity: 2,
          unitPrice: 1445,
          discount: 0,
        },
        {
          lineId: '992',
          sku: 'TEE-ORG-BLK-M',
          listingKeys: ['219', '215'],
          quantity: 1,
          unitPrice: 2990,
          discount: 0,
        },
      ],
      shippingPrice: 490,
      taxTotal: 1018,
      total: 6380,
      taxIncluded: true,
      shipTo: {
        name: 'Jonas Weber',
        line1: 'Torstrasse 12',
        city: 'Berlin',
        postalCode: '10119',
        country: 'DE',
      },
      serviceLevel: 'standard',
      shippingMethod: 'DHL Paket',
      paymentStatus: 'paid',
      customerRef: '412',
      cancelled: false,
      channelStatus: 'processing',
    });
  });

  it('takes an order without a shipping address and without a customer (guest, virtual goods)', () => {
    const o = json('woocommerce-order-created.json');
    const draft = woo({ ...o, customer_id: 0, shipping: { ...o.shipping, address_1: '', country: '' } });
    expect(draft.shipTo).toBeNull();
    expect(draft.customerRef).toBeNull();
  });

  it('cancels for status cancelled, and for order.deleted as of its arrival', () => {
    const o = json('woocommerce-order-created.json');
    expect(woo({ ...o, status: 'cancelled' }, 'order.updated')).toMatchObject({
      cancelled: true,
      paymentStatus: 'voided',
    });
    expect(woo({ id: 7311 }, 'order.deleted')).toMatchObject({
      externalId: '7311',
      partial: true,
      cancelled: true,
      sourceUpdatedAt: RECEIVED,
      lines: undefined,
    });
  });

  it('computes the line discount from subtotal − total', () => {
    const o = json('woocommerce-order-created.json');
    const draft = woo({ ...o, line_items: [{ ...o.line_items[0], subtotal: '24.29', total: '21.86' }] });
    expect(draft.lines?.[0]?.discount).toBe(243);
  });
});

describe('Amazon ORDER_CHANGE normalizer', () => {
  const amazon = (body: unknown) =>
    normalizeAmazon({
      channelId: 'amazon-br',
      channelType: 'amazon',
      rawBody: JSON.stringify(body),
      topic: 'ORDER_CHANGE',
      receivedAt: RECEIVED,
    });

  it('maps the fixture to a partial draft: SellerSKU lines without prices, no address', () => {
    expect(draftOf(amazon(json('amazon-sp-api-order-change.json')))).toEqual({
      channelId: 'amazon-br',
      channelType: 'amazon',
      externalId: '701-1588164-9632243',
      placedAt: '2025-12-01T18:24:39.346Z',
      sourceUpdatedAt: '2025-12-01T19:30:15.261Z',
      currency: 'BRL',
      lines: [
        {
          lineId: '148197599524161',
          sku: '132577',
          listingKeys: ['132577'],
          quantity: 1,
          unitPrice: null,
          discount: 0,
        },
      ],
      partial: true,
      discounts: [],
      shippingPrice: null,
      taxTotal: null,
      total: null,
      shipTo: null,
      serviceLevel: 'standard',
      paymentStatus: 'paid',
      customerRef: null,
      cancelled: false,
      cancelledAt: null,
      channelStatus: 'Shipped',
      detailsPending: true,
    });
  });

  it('has no lines when the notification carries no items', () => {
    const n = json('amazon-sp-api-order-change.json');
    delete n.Payload.OrderChangeNotification.Summary.OrderItems;
    expect(draftOf(amazon(n)).lines).toBeUndefined();
  });

  it('ignores Amazon-fulfilled orders and cancels on Canceled', () => {
    const n = json('amazon-sp-api-order-change.json');
    n.Payload.OrderChangeNotification.Summary.FulfillmentType = 'AFN';
    expect(amazon(n)).toEqual({ kind: 'ignore', reason: 'fulfilled by Amazon (AFN)' });
    const c = json('amazon-sp-api-order-change.json');
    c.Payload.OrderChangeNotification.Summary.OrderStatus = 'Canceled';
    expect(draftOf(amazon(c))).toMatchObject({
      cancelled: true,
      paymentStatus: 'voided',
      cancelledAt: '2025-12-01T19:30:15.261Z',
    });
  });
});

describe('storefront (canonical JSON) normalizer', () => {
  const storefront = (body: string) =>
    normalizeStorefront({
      channelId: 'store-1',
      channelType: 'generic',
      rawBody: body,
      receivedAt: RECEIVED,
    });
  const order = {
    externalId: 'SF-1',
    placedAt: '2026-11-20T10:00:00+01:00',
    currency: 'JPY',
    lines: [{ sku: 'TEE-ORG-BLK-M', quantity: 2, unitPrice: '1500' }],
    shipTo: { name: 'Aiko', line1: '1-2-3 Ginza', city: 'Tokyo', postalCode: '104-0061', country: 'jp' },
    payment: { status: 'authorized' },
  };

  it('converts by the currency exponent and defaults what the storefront left out', () => {
    expect(draftOf(storefront(JSON.stringify(order)))).toMatchObject({
      externalId: 'SF-1',
      placedAt: '2026-11-20T09:00:00.000Z',
      sourceUpdatedAt: '2026-11-20T09:00:00.000Z',
      lines: [{ lineId: '1', sku: 'TEE-ORG-BLK-M', quantity: 2, unitPrice: 1500, discount: 0 }],
      shipTo: { country: 'JP' },
      serviceLevel: 'standard',
      paymentStatus: 'authorized',
      customerRef: null,
    });
  });

  it('reads a JSON number amount by its source text, never as a float', () => {
    const body = JSON.stringify({
      ...order,
      currency: 'USD',
      lines: [{ sku: 'A', quantity: 1, unitPrice: 0 }],
    }).replace('"unitPrice":0', '"unitPrice":0.29');
    expect(draftOf(storefront(body)).lines?.[0]?.unitPrice).toBe(29);
  });

  it('accepts a null shipTo and requires sku or externalId on each line', () => {
    expect(draftOf(storefront(JSON.stringify({ ...order, shipTo: null }))).shipTo).toBeNull();
    const failure = failureOf(() =>
      storefront(JSON.stringify({ ...order, lines: [{ quantity: 1, unitPrice: '1' }] })),
    );
    expect(failure.issues.map((i) => i.field)).toEqual(['lines.0.sku']);
  });
});

describe('line resolution', () => {
  const catalog: SkuCatalog = {
    async find(skus) {
      const known: Record<string, boolean> = { 'TEE-ORG-BLK-M': false, 'KIT-STARTER': true };
      return new Map(skus.filter((s) => s in known).map((s) => [s, { isKit: Boolean(known[s]) }]));
    },
  };
  const listings = (map: Record<string, string>): ListingLookup => ({
    async find(_channel, ids) {
      return new Map(ids.filter((id) => id in map).map((id) => [id, map[id] as string]));
    },
  });
  const line = (over: object) => ({
    lineId: '1',
    listingKeys: [],
    quantity: 1,
    unitPrice: 100,
    discount: 0,
    ...over,
  });

  it('uses the sku when the catalog knows it, else the first mapped listing key, and keeps kits as kits', async () => {
    const lines = await resolveLines(
      { catalog, listings: listings({ '45012345678901': 'TEE-ORG-BLK-M', '132577': 'KIT-STARTER' }) },
      'c',
      [
        line({ sku: 'KIT-STARTER' }),
        line({ listingKeys: ['45012345678901', '8123'] }),
        line({ sku: '132577', listingKeys: ['132577'] }),
      ],
    );
    expect(lines.map((l) => [l.sku, l.isKit, l.listingId])).toEqual([
      ['KIT-STARTER', true, undefined],
      ['TEE-ORG-BLK-M', false, '45012345678901'],
      ['KIT-STARTER', true, '132577'],
    ]);
  });

  it('asks the listings only for lines whose own sku the catalog does not know', async () => {
    const asked: string[][] = [];
    const lookup: ListingLookup = {
      async find(channel, ids) {
        asked.push([...ids]);
        return listings({ '45012345678901': 'TEE-ORG-BLK-M' }).find(channel, ids);
      },
    };
    await resolveLines({ catalog, listings: lookup }, 'c', [
      line({ sku: 'KIT-STARTER', listingKeys: ['111'] }),
      line({ sku: 'TEE-ORG-BLK-M' }),
    ]);
    expect(asked).toEqual([]);
    const lines = await resolveLines({ catalog, listings: lookup }, 'c', [
      line({ sku: 'KIT-STARTER' }),
      line({ sku: 'THEIR-SKU', listingKeys: ['45012345678901'] }),
    ]);
    expect(asked).toEqual([['45012345678901', 'THEIR-SKU']]);
    expect(lines.map((l) => l.sku)).toEqual(['KIT-STARTER', 'TEE-ORG-BLK-M']);
  });

  it('fails with UNKNOWN_SKU naming every unmapped line', async () => {
    const error = await resolveLines({ catalog, listings: listings({ '9': 'GONE' }) }, 'c', [
      line({ sku: 'TEE-ORG-BLK-M' }),
      line({ sku: '', listingKeys: ['8'] }),
      line({ listingKeys: ['9'] }),
    ]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IntakeFailure);
    expect((error as IntakeFailure).code).toBe('UNKNOWN_SKU');
    expect((error as IntakeFailure).issues).toEqual([
      { field: 'lines.1.sku', message: 'no catalog SKU "" and no listing for 8' },
      { field: 'lines.2.sku', message: 'listing maps to GONE, which is not in the catalog' },
    ]);
  });
});
