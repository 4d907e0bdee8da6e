import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ShipmentConfirmed } from '../../functions/fulfillment/api.ts';
import { createEvent } from '../../functions/shared/events.ts';
import { type FakeShopify, startFakeShopify } from '../support/fakes/shopify.ts';
import { type FakeWoo, startFakeWoo } from '../support/fakes/woocommerce.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';

/** Stock push and shipments to channels through the local runtime, against fake Shopify and WooCommerce servers. */
let rt: TestRuntime;
let shopify: FakeShopify;
let woo: FakeWoo;
const TOKEN = 'shpat_test_token_123';
const SKUS = Array.from({ length: 10 }, (_, i) => `CS${i}`);
const item = (i: number) => `gid://shopify/InventoryItem/${100 + i}`;
const SHOP_LOCATION = 'gid://shopify/Location/77';
const saved: Record<string, string | undefined> = {};

beforeAll(async () => {
  // A short degrade window and back-off, so an outage is seen in a second instead of a minute.
  for (const [k, v] of Object.entries({
    QM_CONNECTOR_DEGRADE_AFTER_MS: '200',
    QM_CONNECTOR_BACKOFF_MS: '20',
  })) {
    saved[k] = process.env[k];
    process.env[k] = v;
  }
  [shopify, woo] = await Promise.all([
    startFakeShopify({ token: TOKEN }),
    startFakeWoo({ key: 'ck_test', secret: 'cs_test' }),
  ]);
  rt = await startTestRuntime();
  await rt.api('PUT', '/api/locations/CW1', { body: { name: 'CW1', type: 'warehouse' } });
  for (const sku of SKUS) await rt.api('PUT', `/api/skus/${sku}`, { body: { name: sku } });
  const shop = await rt.api('PUT', '/api/channels/shop', {
    body: {
      type: 'shopify',
      secret: 'shopify-app-secret',
      locationIds: ['CW1'],
      shopDomain: 'quartermaster-test.myshopify.com',
      connection: {
        apiBaseUrl: shopify.url,
        accessToken: TOKEN,
        apiVersion: '2025-07',
        locationMap: { CW1: SHOP_LOCATION },
      },
    },
  });
  expect(shop.status, JSON.stringify(shop.body)).toBe(201);
  const wc = await rt.api('PUT', '/api/channels/wc', {
    body: {
      type: 'woocommerce',
      secret: 'woo-webhook-secret',
      locationIds: ['CW1'],
      exposure: { buffer: 2 },
      connection: { apiBaseUrl: woo.url, accessToken: 'ck_test:cs_test' },
    },
  });
  expect(wc.status, JSON.stringify(wc.body)).toBe(201);
  for (const [i, sku] of SKUS.entries()) {
    const res = await rt.api('PUT', `/api/channels/shop/listings/${5000 + i}`, {
      body: { sku, inventoryItemId: item(i) },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  }
  // WooCommerce: CS0 a simple product, CS1 a variation of product 900.
  woo.products.set(700, { stock_quantity: null, manage_stock: false, parent_id: 0 });
  woo.products.set(901, { stock_quantity: null, manage_stock: false, parent_id: 900 });
  await rt.api('PUT', '/api/channels/wc/listings/700', { body: { sku: 'CS0' } });
  await rt.api('PUT', '/api/channels/wc/listings/901', { body: { sku: 'CS1', parentId: '900' } });
  await rt.settle();
}, 120_000);
afterAll(async () => {
  await rt?.stop();
  await Promise.all([shopify?.close(), woo?.close()]);
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

const adjust = (sku: string, delta: number, key: string) =>
  rt.api('POST', '/api/inventory/adjustments', {
    body: { sku, locationId: 'CW1', delta, reason: 'cycle count', idempotencyKey: key },
  });
/** Our number for the channel and SKU, as inventory shows it. */
async function ours(channelId: string, sku: string): Promise<number> {
  const res = await rt.api('GET', `/api/inventory/${sku}`);
  return res.body.channels.find((c: { channelId: string }) => c.channelId === channelId)?.available ?? 0;
}
const shopQuantity = (i: number) => shopify.available.get(`${item(i)}|${SHOP_LOCATION}`);
const sync = async (channelId: string) => {
  const res = await rt.api('GET', `/api/channels/${channelId}/sync`, { role: 'supervisor' });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
};

describe('channel connection', () => {
  it('is stored without its token: GET shows hasAccessToken, never the token', async () => {
    const res = await rt.api('GET', '/api/channels/shop');
    expect(res.body.connection).toEqual({
      apiBaseUrl: shopify.url,
      apiVersion: '2025-07',
      locationMap: { CW1: SHOP_LOCATION },
      hasAccessToken: true,
    });
    expect(JSON.stringify(res.body)).not.toContain(TOKEN);
    // An update without the token keeps it.
    const again = await rt.api('PUT', '/api/channels/shop', {
      body: {
        type: 'shopify',
        locationIds: ['CW1'],
        shopDomain: 'quartermaster-test.myshopify.com',
        connection: { apiBaseUrl: shopify.url, apiVersion: '2025-07', locationMap: { CW1: SHOP_LOCATION } },
      },
    });
    expect(again.status).toBe(200);
    expect(again.body.connection.hasAccessToken).toBe(true);
  });

  it('refuses a bad connection and a bad inventory item id with 400', async () => {
    const bad = await rt.api('PUT', '/api/channels/shop2', {
      body: {
        type: 'shopify',
        secret: 's',
        locationIds: [],
        connection: { apiBaseUrl: 'ftp://x', token: 'x' },
      },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');
    const listing = await rt.api('PUT', '/api/channels/shop/listings/1', {
      body: { sku: 'CS0', inventoryItemId: '123' },
    });
    expect(listing.status).toBe(400);
  });
});

describe('stock push', () => {
  it('ends every SKU at our number after 100 changes across 10 SKUs, through throttling, 429 and 503', async () => {
    shopify.faults.delayMs = 15;
    shopify.faults.rateLimitNext = 2;
    shopify.faults.unavailableNext = 2;
    // A small bucket makes the cost-based throttle bite.
    Object.assign(shopify.bucket, { maximum: 60, available: 60, restoreRate: 200, at: Date.now() });
    let n = 0;
    const changes = Array.from({ length: 100 }, (_, k) => ({
      sku: SKUS[k % 10] as string,
      delta: k < 20 ? 30 : (k % 3) - 1,
    }));
    for (let k = 0; k < changes.length; k += 10) {
      const wave = changes.slice(k, k + 10);
      const answers = await Promise.all(
        wave.map((c) => adjust(c.sku, c.delta === 0 ? 2 : c.delta, `stock-change-${n++}`)),
      );
      for (const a of answers) expect(a.status, JSON.stringify(a.body)).toBeLessThan(300);
    }
    await rt.settle();
    for (const [i, sku] of SKUS.entries()) expect(shopQuantity(i), sku).toBe(await ours('shop', sku));
    // Every SKU's last set is our number (the shop's state is the last write it applied).
    for (const [i, sku] of SKUS.entries()) {
      const last = shopify.sets.filter((s) => s.key === `${item(i)}|${SHOP_LOCATION}`).at(-1);
      expect(last?.quantity, sku).toBe(await ours('shop', sku));
    }
    expect(shopify.requests.some((r) => r.status === 429)).toBe(true);
    expect(shopify.requests.some((r) => r.status === 503)).toBe(true);
    const status = await sync('shop');
    expect(status).toMatchObject({ state: 'healthy', pending: 0 });
    expect(status.lastPushAt).toEqual(expect.any(String));
    // WooCommerce got the same changes for its two listings, with its own exposure (buffer 2).
    expect(woo.products.get(700)).toEqual({
      stock_quantity: await ours('wc', 'CS0'),
      manage_stock: true,
      parent_id: 0,
    });
    expect(woo.products.get(901)).toEqual({
      stock_quantity: await ours('wc', 'CS1'),
      manage_stock: true,
      parent_id: 900,
    });
    expect(await ours('wc', 'CS0')).toBe((await ours('shop', 'CS0')) - 2);
    Object.assign(shopify.faults, { delayMs: 0 });
    Object.assign(shopify.bucket, { maximum: 1000, available: 1000, restoreRate: 50, at: Date.now() });
  }, 60_000);

  it('marks a channel that keeps answering 500 degraded, and resyncs every SKU when it recovers', async () => {
    shopify.faults.failWith = 500;
    for (let k = 0; k < 4; k++) {
      expect((await adjust(SKUS[k] as string, 3, `outage-change-${k}`)).status).toBeLessThan(300);
      await rt.settle();
      // Failures must span the (short) degrade window, as an outage spans a minute.
      await new Promise((r) => setTimeout(r, 100));
    }
    const down = await sync('shop');
    expect(down.state).toBe('degraded');
    expect(down.pending).toBeGreaterThan(0);
    expect(down.recentFailures[0]).toMatchObject({ error: expect.stringContaining('HTTP 500') });
    expect(rt.bus.events({ detailType: 'ChannelSyncDegraded' }).length).toBe(1);

    // The shop comes back having lost its numbers: only a full resync puts them all back.
    shopify.faults.failWith = undefined;
    shopify.available.clear();
    await rt.lambdas.invoke('sweepPendingStock', {});
    await rt.settle();
    for (const [i, sku] of SKUS.entries()) expect(shopQuantity(i), sku).toBe(await ours('shop', sku));
    const up = await sync('shop');
    expect(up).toMatchObject({ state: 'healthy', pending: 0, degradedAt: null });
    expect(rt.bus.events({ detailType: 'ChannelSyncRecovered' }).length).toBe(1);
    expect(rt.bus.events({ detailType: 'ChannelResyncRequested' }).length).toBe(1);
  }, 60_000);

  it('resyncs on demand (202), admins only', async () => {
    shopify.available.clear();
    expect((await rt.api('POST', '/api/channels/shop/resync', { role: 'supervisor' })).status).toBe(403);
    expect((await rt.api('POST', '/api/channels/nope/resync')).body.error.code).toBe('NOT_FOUND');
    const res = await rt.api('POST', '/api/channels/shop/resync');
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    expect(res.body).toEqual({ channelId: 'shop', skus: 10 });
    await rt.settle();
    for (const [i, sku] of SKUS.entries()) expect(shopQuantity(i), sku).toBe(await ours('shop', sku));
    expect((await rt.api('GET', '/api/channels/nope/sync')).status).toBe(404);
  }, 60_000);
});

const shipment = (
  channelId: string,
  externalId: string,
  shipmentId: string,
  lines: { sku: string; quantity: number }[],
) => {
  const e = createEvent(
    ShipmentConfirmed,
    {
      shipmentId,
      fulfillmentId: `F-${shipmentId}`,
      orderId: `ord-${shipmentId}`,
      channelId,
      externalId,
      locationId: 'CW1',
      reservationId: `R-${shipmentId}`,
      lines: lines.map((l, i) => ({ lineId: `L${i}`, ...l })),
      carrier: 'UPS',
      service: 'Ground',
      trackingNumber: `1Z${shipmentId}`,
      trackingUrl: `https://www.ups.com/track?tracknum=1Z${shipmentId}`,
      packages: 1,
      shippedAt: new Date().toISOString(),
    },
    { correlationId: `c-${shipmentId}` },
  );
  return { Source: e.source, DetailType: e.detailType, Detail: JSON.stringify(e.detail) };
};

describe('shipments to channels', () => {
  it('creates exactly one Shopify fulfillment with tracking when ShipmentConfirmed comes three times', async () => {
    shopify.orders.set('gid://shopify/Order/4501', [
      {
        id: 'gid://shopify/FulfillmentOrder/1',
        status: 'OPEN',
        lineItems: [
          { id: 'gid://shopify/FulfillmentOrderLineItem/11', sku: 'CS0', remainingQuantity: 2 },
          { id: 'gid://shopify/FulfillmentOrderLineItem/12', sku: 'CS1', remainingQuantity: 1 },
        ],
      },
    ]);
    shopify.faults.delayMs = 50;
    const first = shipment('shop', '4501', 'SH1', [{ sku: 'CS0', quantity: 2 }]);
    // Two deliveries of the same event racing, and a later one with another event id.
    const out = await Promise.all([rt.bus.putEvents([first]), rt.bus.putEvents([first])]);
    for (const o of out) expect(o.FailedEntryCount).toBe(0);
    await rt.settle();
    await rt.bus.putEvents([shipment('shop', '4501', 'SH1', [{ sku: 'CS0', quantity: 2 }])]);
    await rt.settle();
    shopify.faults.delayMs = 0;
    expect(shopify.fulfillments).toHaveLength(1);
    expect(shopify.fulfillments[0]).toMatchObject({
      orderId: 'gid://shopify/Order/4501',
      notifyCustomer: true,
      trackingInfo: { company: 'UPS', number: '1ZSH1', url: 'https://www.ups.com/track?tracknum=1ZSH1' },
      lineItemsByFulfillmentOrder: [
        {
          fulfillmentOrderId: 'gid://shopify/FulfillmentOrder/1',
          fulfillmentOrderLineItems: [{ id: 'gid://shopify/FulfillmentOrderLineItem/11', quantity: 2 }],
        },
      ],
    });
    expect(rt.bus.deadLetters.filter((d) => d.rule.startsWith('connectors-'))).toEqual([]);
  }, 30_000);

  it('completes a WooCommerce order with a tracking note, once', async () => {
    woo.orders.set(8001, { status: 'processing', notes: [] });
    const e = shipment('wc', '8001', 'SH2', [{ sku: 'CS0', quantity: 1 }]);
    await rt.bus.putEvents([e]);
    await rt.bus.putEvents([e]);
    await rt.settle();
    const order = woo.orders.get(8001);
    expect(order?.status).toBe('completed');
    expect(order?.notes).toEqual([
      {
        note: 'Shipped with UPS Ground: tracking 1ZSH2 (https://www.ups.com/track?tracknum=1ZSH2)',
        customer_note: true,
      },
    ]);
  }, 30_000);
});
