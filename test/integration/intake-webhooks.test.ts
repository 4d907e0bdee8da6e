import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hmacSha256 } from '../../functions/shared/webhooks.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/channels');
const fixture = (name: string) => readFileSync(path.join(FIXTURES, name), 'utf8');

const SECRETS = {
  shopify: 'shpss_test_5f9c2a',
  woo: 'wc-webhook-secret-7731',
  store: 'storefront-signing-key-19',
};

let rt: TestRuntime;
let seq = 0;
const nextId = (prefix: string) => `${prefix}-${Date.now()}-${++seq}`;

/** Posts a body to a webhook route, signed the way the sender signs. */
async function post(route: string, body: string, headers: Record<string, string>) {
  const res = await fetch(`${rt.url}${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

const shopify = (channelId: string, body: string, extra: Record<string, string> = {}) =>
  post(`/webhooks/shopify/${channelId}`, body, {
    'x-shopify-hmac-sha256': hmacSha256(SECRETS.shopify, body, 'base64'),
    'x-shopify-topic': 'orders/create',
    'x-shopify-webhook-id': nextId('shopify-delivery'),
    'x-shopify-shop-domain': 'quartermaster-demo.myshopify.com',
    ...extra,
  });

const woo = (channelId: string, body: string, extra: Record<string, string> = {}) =>
  post(`/webhooks/woocommerce/${channelId}`, body, {
    'x-wc-webhook-signature': hmacSha256(SECRETS.woo, body, 'base64'),
    'x-wc-webhook-topic': 'order.created',
    'x-wc-webhook-delivery-id': nextId('wc-delivery'),
    ...extra,
  });

const storefront = (channelId: string, body: string, extra: Record<string, string> = {}) =>
  post(`/webhooks/orders/${channelId}`, body, {
    'x-qm-signature': `sha256=${hmacSha256(SECRETS.store, body, 'hex')}`,
    'idempotency-key': nextId('sf'),
    ...extra,
  });

async function orderOf(channelId: string, externalId: string) {
  const res = await rt.api(
    'GET',
    `/api/orders?channelId=${channelId}&externalId=${encodeURIComponent(externalId)}`,
  );
  expect(res.status).toBe(200);
  return res.body.items as any[];
}

const canonical = (externalId: string, over: Record<string, unknown> = {}) =>
  JSON.stringify({
    externalId,
    placedAt: '2026-11-20T10:00:00Z',
    currency: 'USD',
    lines: [{ sku: 'TEE-ORG-BLK-M', quantity: 3, unitPrice: '19.99' }],
    shipTo: { name: 'Sam Doe', line1: '1 Main St', city: 'Portland', postalCode: '97201', country: 'US' },
    payment: { status: 'paid' },
    ...over,
  });

beforeAll(async () => {
  rt = await startTestRuntime();
  for (const [sku, body] of [
    ['TEE-ORG-BLK-M', { name: 'Organic Tee Black M' }],
    ['MUG-STN-SND', { name: 'Stoneware Mug Sand' }],
    [
      'KIT-STARTER',
      {
        name: 'Starter Kit',
        kit: {
          components: [
            { sku: 'TEE-ORG-BLK-M', quantity: 1 },
            { sku: 'MUG-STN-SND', quantity: 1 },
          ],
        },
      },
    ],
  ] as const) {
    expect((await rt.api('PUT', `/api/skus/${sku}`, { body })).status).toBeLessThan(300);
  }
  const channels = [
    ['shop-us', { type: 'shopify', secret: SECRETS.shopify, locationIds: ['wh-east'], priority: 1 }],
    ['woo-eu', { type: 'woocommerce', secret: SECRETS.woo, locationIds: ['wh-eu'] }],
    ['store-1', { type: 'generic', secret: SECRETS.store, locationIds: ['wh-east'] }],
  ] as const;
  for (const [id, body] of channels)
    expect((await rt.api('PUT', `/api/channels/${id}`, { body })).status).toBe(201);
});

afterAll(async () => {
  await rt?.stop();
});

describe('channel configuration', () => {
  it('stores the channel without its secret and publishes ChannelUpserted without it', async () => {
    const res = await rt.api('GET', '/api/channels/shop-us');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      channelId: 'shop-us',
      type: 'shopify',
      locationIds: ['wh-east'],
      hasSecret: true,
    });
    expect(JSON.stringify(res.body)).not.toContain(SECRETS.shopify);
    await rt.settle();
    const events = rt.bus.events({ detailType: 'ChannelUpserted' });
    expect(events.map((e) => (e.detail as any).data.channelId)).toEqual(
      expect.arrayContaining(['shop-us', 'woo-eu', 'store-1']),
    );
    expect(JSON.stringify(events)).not.toContain(SECRETS.shopify);
  });

  it('refuses a webhook channel without a secret and non-admins', async () => {
    expect(
      (await rt.api('PUT', '/api/channels/nosecret', { body: { type: 'shopify', locationIds: [] } })).status,
    ).toBe(400);
    expect(
      (
        await rt.api('PUT', '/api/channels/x', {
          role: 'supervisor',
          body: { type: 'generic', secret: 's', locationIds: [] },
        })
      ).status,
    ).toBe(403);
  });
});

describe('Shopify webhook', () => {
  it('turns the orders/create fixture into the canonical order and publishes OrderReceived', async () => {
    const res = await shopify('shop-us', fixture('shopify-orders-create.json'));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'created', duplicate: false });

    const [order] = await orderOf('shop-us', '5830119948521');
    expect(order).toMatchObject({
      orderId: res.body.orderId,
      channelId: 'shop-us',
      externalId: '5830119948521',
      externalNumber: '#2047',
      status: 'received',
      currency: 'USD',
      placedAt: '2026-11-20T14:14:02.000Z',
      sourceUpdatedAt: '2026-11-20T14:14:04.000Z',
      paymentStatus: 'paid',
      serviceLevel: 'standard',
      customerRef: '7101928374650',
      shippingPrice: 695,
      taxTotal: 795,
      total: 12195,
      discounts: [{ code: 'WELCOME10', amount: 1000 }],
      shipTo: {
        name: 'Avery Lin',
        line1: '410 Terry Ave N',
        line2: 'Apt 5',
        city: 'Seattle',
        region: 'WA',
        postalCode: '98109',
        country: 'US',
      },
    });
    expect(order.lines).toEqual([
      expect.objectContaining({
        sku: 'TEE-ORG-BLK-M',
        quantity: 2,
        unitPrice: 2900,
        discount: 492,
        isKit: false,
      }),
      expect.objectContaining({
        sku: 'KIT-STARTER',
        quantity: 1,
        unitPrice: 6000,
        discount: 508,
        isKit: true,
      }),
    ]);
    expect(
      (await rt.api('GET', `/api/orders/${order.orderId}`, { role: 'warehouse-associate' })).body.orderId,
    ).toBe(order.orderId);

    await rt.settle();
    const received = rt.bus
      .events({ detailType: 'OrderReceived' })
      .filter((e) => (e.detail as any).data.orderId === order.orderId);
    expect(received).toHaveLength(1);
    expect((received[0]?.detail as any)?.data).toMatchObject({
      lines: [
        { sku: 'TEE-ORG-BLK-M', quantity: 2, unitPrice: 2900 },
        { sku: 'KIT-STARTER', quantity: 1, unitPrice: 6000, isKit: true },
      ],
      currency: 'USD',
      paymentStatus: 'paid',
      serviceLevel: 'standard',
    });
  });

  it('answers 401 to a wrong signature and writes no order', async () => {
    const exceptionsBefore = (await rt.api('GET', '/api/intake/exceptions?channelId=shop-us&limit=200')).body
      .items.length;
    const body = fixture('shopify-orders-create.json').replace('5830119948521', '5830119948599');
    const res = await shopify('shop-us', body, {
      'x-shopify-hmac-sha256': hmacSha256('not-the-secret', body, 'base64'),
    });
    expect(res.status).toBe(401);
    expect(await orderOf('shop-us', '5830119948599')).toEqual([]);
    const unsigned = await post('/webhooks/shopify/shop-us', body, { 'x-shopify-topic': 'orders/create' });
    expect(unsigned.status).toBe(401);
    const exceptions = await rt.api('GET', '/api/intake/exceptions?channelId=shop-us&limit=200');
    expect(exceptions.body.items).toHaveLength(exceptionsBefore);
    const rejections = await rt.api('GET', '/api/intake/rejections');
    expect(rejections.body.items.map((r: any) => r.reason)).toEqual(
      expect.arrayContaining(['bad-signature', 'missing-signature']),
    );
    expect(
      rejections.body.counts.find((c: any) => c.channelId === 'shop-us').rejected,
    ).toBeGreaterThanOrEqual(2);
  });

  it('makes one order from the same delivery sent 5 times concurrently', async () => {
    const body = fixture('shopify-orders-create.json').replace('5830119948521', '5830119948600');
    const headers = { 'x-shopify-webhook-id': nextId('same-delivery') };
    const replies = await Promise.all(Array.from({ length: 5 }, () => shopify('shop-us', body, headers)));
    expect(replies.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(replies.filter((r) => r.body.duplicate === false)).toHaveLength(1);
    expect(new Set(replies.map((r) => r.body.orderId)).size).toBe(1);
    expect(await orderOf('shop-us', '5830119948600')).toHaveLength(1);
    await rt.settle();
    const orderId = replies[0]?.body.orderId;
    expect(
      rt.bus
        .events({ detailType: 'OrderReceived' })
        .filter((e) => (e.detail as any).data.orderId === orderId),
    ).toHaveLength(1);
  });

  it('makes one order from 5 different deliveries of the same order', async () => {
    const body = fixture('shopify-orders-create.json').replace('5830119948521', '5830119948601');
    const replies = await Promise.all(Array.from({ length: 5 }, () => shopify('shop-us', body)));
    expect(replies.every((r) => r.status === 200)).toBe(true);
    expect(replies.filter((r) => r.body.status === 'created')).toHaveLength(1);
    expect(await orderOf('shop-us', '5830119948601')).toHaveLength(1);
  });

  it('applies a newer update, ignores an older one after it, and releases on cancellation', async () => {
    const base = JSON.parse(fixture('shopify-orders-create.json'));
    const id = 5830119948700;
    const v1 = JSON.stringify({ ...base, id });
    const v3 = JSON.stringify({
      ...base,
      id,
      updated_at: '2026-11-20T10:00:00-05:00',
      line_items: [{ ...base.line_items[0], quantity: 4 }],
    });
    const v2 = JSON.stringify({
      ...base,
      id,
      updated_at: '2026-11-20T09:30:00-05:00',
      financial_status: 'refunded',
    });

    expect((await shopify('shop-us', v1)).body.status).toBe('created');
    expect((await shopify('shop-us', v3, { 'x-shopify-topic': 'orders/updated' })).body.status).toBe(
      'updated',
    );
    const older = await shopify('shop-us', v2, { 'x-shopify-topic': 'orders/updated' });
    expect(older.body).toMatchObject({ status: 'ignored', reason: 'stale' });

    const [order] = await orderOf('shop-us', String(id));
    expect(order.lines).toEqual([expect.objectContaining({ sku: 'TEE-ORG-BLK-M', quantity: 4 })]);
    expect(order.paymentStatus).toBe('paid');
    expect(order.sourceUpdatedAt).toBe('2026-11-20T15:00:00.000Z');

    const cancelled = JSON.stringify({
      ...JSON.parse(v3),
      updated_at: '2026-11-20T11:00:00-05:00',
      cancelled_at: '2026-11-20T11:00:00-05:00',
      cancel_reason: 'customer',
    });
    expect((await shopify('shop-us', cancelled, { 'x-shopify-topic': 'orders/cancelled' })).body.status).toBe(
      'cancelled',
    );
    const [after] = await orderOf('shop-us', String(id));
    expect(after).toMatchObject({
      status: 'cancelled',
      cancelledAt: '2026-11-20T16:00:00.000Z',
      cancelReason: 'customer',
    });

    await rt.settle();
    const of = (type: string) =>
      rt.bus.events({ detailType: type }).filter((e) => (e.detail as any).data.orderId === order.orderId);
    expect(of('OrderReceived')).toHaveLength(1);
    expect(of('OrderUpdated')).toHaveLength(1);
    expect((of('OrderUpdated')[0]?.detail as any)?.data.changed).toEqual(['lines']);
    expect(of('OrderCancelled')).toHaveLength(1);
    expect((of('OrderCancelled')[0]?.detail as any)?.data.lines).toEqual([
      expect.objectContaining({ sku: 'TEE-ORG-BLK-M', quantity: 4 }),
    ]);
  });

  it('maps an empty SKU through the variant listing and takes an order without an address', async () => {
    const base = JSON.parse(fixture('shopify-orders-create.json'));
    expect(
      (
        await rt.api('PUT', '/api/channels/shop-us/listings/45012345678901', {
          role: 'inventory-controller',
          body: { sku: 'TEE-ORG-BLK-M' },
        })
      ).status,
    ).toBe(201);
    const body = JSON.stringify({
      ...base,
      id: 5830119948800,
      shipping_address: null,
      customer: null,
      email: null,
      line_items: [{ ...base.line_items[0], sku: '' }],
    });
    expect((await shopify('shop-us', body)).body.status).toBe('created');
    const [order] = await orderOf('shop-us', '5830119948800');
    expect(order).toMatchObject({ shipTo: null, customerRef: null });
    expect(order.lines).toEqual([
      expect.objectContaining({ sku: 'TEE-ORG-BLK-M', listingId: '45012345678901', quantity: 2 }),
    ]);
  });
});

describe('WooCommerce webhook', () => {
  it('turns the order.created fixture into the canonical order', async () => {
    const res = await woo('woo-eu', fixture('woocommerce-order-created.json'));
    expect(res).toMatchObject({ status: 200, body: { status: 'created' } });
    const [order] = await orderOf('woo-eu', '7311');
    expect(order).toMatchObject({
      channelId: 'woo-eu',
      externalId: '7311',
      status: 'received',
      currency: 'EUR',
      placedAt: '2026-11-20T14:02:11.000Z',
      sourceUpdatedAt: '2026-11-20T14:02:13.000Z',
      paymentStatus: 'paid',
      customerRef: '412',
      shippingPrice: 490,
      total: 6380,
      taxIncluded: true,
      shipTo: {
        name: 'Jonas Weber',
        line1: 'Torstrasse 12',
        city: 'Berlin',
        postalCode: '10119',
        country: 'DE',
      },
    });
    expect(order.lines).toEqual([
      expect.objectContaining({ sku: 'MUG-STN-SND', quantity: 2, unitPrice: 1445 }),
      expect.objectContaining({ sku: 'TEE-ORG-BLK-M', quantity: 1, unitPrice: 2990 }),
    ]);
  });

  it('answers the unsigned ping with 200 and writes nothing', async () => {
    const res = await post('/webhooks/woocommerce/woo-eu', 'webhook_id=17', {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(res).toMatchObject({ status: 200, body: { status: 'pong' } });
  });

  it('answers 401 to a wrong signature and writes no order', async () => {
    const body = fixture('woocommerce-order-created.json').replace('"id": 7311', '"id": 7399');
    const res = await woo('woo-eu', body, {
      'x-wc-webhook-signature': hmacSha256(SECRETS.shopify, body, 'base64'),
    });
    expect(res.status).toBe(401);
    expect(await orderOf('woo-eu', '7399')).toEqual([]);
  });

  it('cancels on a newer order.updated with status cancelled', async () => {
    const base = JSON.parse(fixture('woocommerce-order-created.json'));
    const body = JSON.stringify({ ...base, status: 'cancelled', date_modified_gmt: '2026-11-21T08:00:00' });
    const res = await woo('woo-eu', body, { 'x-wc-webhook-topic': 'order.updated' });
    expect(res.body.status).toBe('cancelled');
    expect((await orderOf('woo-eu', '7311'))[0].status).toBe('cancelled');
  });
});

describe('custom storefront webhook', () => {
  it('creates the canonical order with 201, and answers a retry of the same key with 200', async () => {
    const body = canonical('SF-1001', {
      lines: [
        { sku: 'TEE-ORG-BLK-M', quantity: 3, unitPrice: '19.99', discount: '1.50' },
        { sku: 'KIT-STARTER', quantity: 1, unitPrice: '60' },
      ],
      serviceLevel: 'expedited',
      allowSubstitutes: true,
      customerRef: 'cust-88',
    });
    const headers = { 'idempotency-key': nextId('sf-key') };
    const first = await storefront('store-1', body, headers);
    expect(first).toMatchObject({ status: 201, body: { status: 'created' } });
    const again = await storefront('store-1', body, headers);
    expect(again).toMatchObject({
      status: 200,
      body: { status: 'created', duplicate: true, orderId: first.body.orderId },
    });
    const [order] = await orderOf('store-1', 'SF-1001');
    expect(order).toMatchObject({
      serviceLevel: 'expedited',
      allowSubstitutes: true,
      customerRef: 'cust-88',
      paymentStatus: 'paid',
    });
    expect(order.lines).toEqual([
      expect.objectContaining({
        sku: 'TEE-ORG-BLK-M',
        quantity: 3,
        unitPrice: 1999,
        discount: 150,
        isKit: false,
      }),
      expect.objectContaining({ sku: 'KIT-STARTER', quantity: 1, unitPrice: 6000, isKit: true }),
    ]);
  });

  it('answers 401 to a wrong signature, a missing prefix and a truncated one', async () => {
    const body = canonical('SF-1002');
    const good = hmacSha256(SECRETS.store, body, 'hex');
    for (const signature of [
      `sha256=${hmacSha256('wrong', body, 'hex')}`,
      good,
      `sha256=${good.slice(0, 40)}`,
    ]) {
      expect((await storefront('store-1', body, { 'x-qm-signature': signature })).status).toBe(401);
    }
    expect(await orderOf('store-1', 'SF-1002')).toEqual([]);
  });

  it('refuses a delivery signed for another channel', async () => {
    const body = canonical('SF-1003');
    const res = await post('/webhooks/orders/shop-us', body, {
      'x-qm-signature': `sha256=${hmacSha256(SECRETS.shopify, body, 'hex')}`,
    });
    expect(res.status).toBe(401);
  });
});
