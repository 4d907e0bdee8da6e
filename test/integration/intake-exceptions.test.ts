import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hmacSha256 } from '../../functions/shared/webhooks.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/channels');
const shopifyFixture = JSON.parse(readFileSync(path.join(FIXTURES, 'shopify-orders-create.json'), 'utf8'));
const SHOPIFY_SECRET = 'shpss_exceptions_secret';
const STORE_SECRET = 'storefront-exceptions-key';

let rt: TestRuntime;
let seq = 0;
const nextId = (prefix: string) => `${prefix}-${Date.now()}-${++seq}`;

async function post(route: string, body: string, headers: Record<string, string>) {
  const res = await fetch(`${rt.url}${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

const shopify = (body: string, deliveryId = nextId('shopify')) =>
  post('/webhooks/shopify/shop-x', body, {
    'x-shopify-hmac-sha256': hmacSha256(SHOPIFY_SECRET, body, 'base64'),
    'x-shopify-topic': 'orders/create',
    'x-shopify-webhook-id': deliveryId,
  });

const storefront = (body: string, key = nextId('sf')) =>
  post('/webhooks/orders/store-x', body, {
    'x-qm-signature': `sha256=${hmacSha256(STORE_SECRET, body, 'hex')}`,
    'idempotency-key': key,
  });

const canonical = (externalId: string, lines: unknown[]) =>
  JSON.stringify({
    externalId,
    placedAt: '2026-11-20T10:00:00Z',
    currency: 'USD',
    lines,
    shipTo: { name: 'Sam Doe', line1: '1 Main St', city: 'Portland', postalCode: '97201', country: 'US' },
    payment: { status: 'paid' },
  });

async function ordersOf(channelId: string, externalId: string) {
  return (await rt.api('GET', `/api/orders?channelId=${channelId}&externalId=${externalId}`)).body
    .items as any[];
}

/** The exception as listed (a summary, never a body), then whole from its own route. */
async function exception(id: string, status: 'open' | 'resolved' = 'open') {
  const res = await rt.api('GET', `/api/intake/exceptions?status=${status}&limit=200`, {
    role: 'customer-service',
  });
  expect(res.status).toBe(200);
  const summary = (res.body.items as any[]).find((e) => e.exceptionId === id);
  if (!summary) return undefined;
  expect(summary.rawBody).toBeUndefined();
  const one = await rt.api('GET', `/api/intake/exceptions/${id}`, { role: 'customer-service' });
  expect(one.status).toBe(200);
  return one.body;
}

beforeAll(async () => {
  rt = await startTestRuntime();
  expect((await rt.api('PUT', '/api/skus/TEE-ORG-BLK-M', { body: { name: 'Organic Tee' } })).status).toBe(
    201,
  );
  expect(
    (
      await rt.api('PUT', '/api/channels/shop-x', {
        body: { type: 'shopify', secret: SHOPIFY_SECRET, locationIds: ['wh-1'] },
      })
    ).status,
  ).toBe(201);
  expect(
    (
      await rt.api('PUT', '/api/channels/store-x', {
        body: { type: 'generic', secret: STORE_SECRET, locationIds: ['wh-1'] },
      })
    ).status,
  ).toBe(201);
});

afterAll(async () => {
  await rt?.stop();
});

describe('unmapped SKU', () => {
  const unmapped = (id: number) =>
    JSON.stringify({
      ...shopifyFixture,
      id,
      line_items: [{ ...shopifyFixture.line_items[0], sku: '', variant_id: 990001 }],
    });

  it('is stored as an exception with the raw body, answered 200, and replay after the listing creates the order once', async () => {
    const body = unmapped(7000001);
    const res = await shopify(body);
    expect(res).toMatchObject({ status: 200, body: { status: 'exception', code: 'UNKNOWN_SKU' } });
    const id = res.body.exceptionId;
    expect(await ordersOf('shop-x', '7000001')).toEqual([]);

    const stored = await exception(id);
    expect(stored).toMatchObject({
      status: 'open',
      channelId: 'shop-x',
      source: 'shopify',
      code: 'UNKNOWN_SKU',
      rawBody: body,
      attempts: 1,
    });
    expect(stored.issues).toEqual([expect.objectContaining({ field: 'lines.0.sku' })]);
    expect(stored.reason).toMatch(/^UNKNOWN_SKU: /);

    const tooEarly = await rt.api('POST', `/api/intake/exceptions/${id}/replay`, { role: 'supervisor' });
    expect(tooEarly).toMatchObject({ status: 422, body: { error: { code: 'UNKNOWN_SKU' } } });
    expect((await exception(id)).attempts).toBe(2);

    await rt.api('PUT', '/api/channels/shop-x/listings/990001', { body: { sku: 'TEE-ORG-BLK-M' } });
    const replay = await rt.api('POST', `/api/intake/exceptions/${id}/replay`, { role: 'supervisor' });
    expect(replay).toMatchObject({
      status: 200,
      body: { status: 'resolved', outcome: { kind: 'created' }, alreadyResolved: false },
    });
    const again = await rt.api('POST', `/api/intake/exceptions/${id}/replay`);
    expect(again).toMatchObject({
      status: 200,
      body: { alreadyResolved: true, outcome: { orderId: replay.body.outcome.orderId } },
    });

    const orders = await ordersOf('shop-x', '7000001');
    expect(orders).toHaveLength(1);
    expect(orders[0].lines).toEqual([expect.objectContaining({ sku: 'TEE-ORG-BLK-M', listingId: '990001' })]);
    expect(await exception(id)).toBeUndefined();
    expect(await exception(id, 'resolved')).toMatchObject({
      status: 'resolved',
      resolution: { outcome: 'created' },
    });
    await rt.settle();
    const received = rt.bus
      .events({ detailType: 'OrderReceived' })
      .filter((e) => (e.detail as any).data.externalId === '7000001');
    expect(received).toHaveLength(1);
  });

  it('replayed 5 times concurrently creates one order', async () => {
    const body = JSON.stringify({
      ...shopifyFixture,
      id: 7000002,
      line_items: [{ ...shopifyFixture.line_items[0], sku: 'NOT-OURS', variant_id: 990002 }],
    });
    const id = (await shopify(body)).body.exceptionId;
    await rt.api('PUT', '/api/channels/shop-x/listings/990002', { body: { sku: 'TEE-ORG-BLK-M' } });
    const replies = await Promise.all(
      Array.from({ length: 5 }, () => rt.api('POST', `/api/intake/exceptions/${id}/replay`)),
    );
    expect(replies.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(replies.filter((r) => r.body.alreadyResolved === false)).toHaveLength(1);
    expect(await ordersOf('shop-x', '7000002')).toHaveLength(1);
  });

  it('is answered 422 on the storefront route, and the same delivery retried makes one exception', async () => {
    const body = canonical('SF-77', [{ sku: 'NO-SUCH-SKU', quantity: 1, unitPrice: '5.00' }]);
    const key = nextId('sf-retry');
    const replies = [await storefront(body, key), await storefront(body, key), await storefront(body, key)];
    expect(replies.map((r) => r.status)).toEqual([422, 422, 422]);
    expect(replies[0]?.body.error).toMatchObject({ code: 'UNKNOWN_SKU', details: { duplicate: false } });
    expect(new Set(replies.map((r) => r.body.error.details.exceptionId)).size).toBe(1);
    const open = (await rt.api('GET', '/api/intake/exceptions?channelId=store-x&limit=200')).body
      .items as any[];
    const exceptionId = replies[0]?.body.error.details.exceptionId;
    expect(open.filter((e) => e.exceptionId === exceptionId)).toHaveLength(1);
    expect((await exception(exceptionId)).rawBody).toContain('SF-77');

    await rt.api('PUT', '/api/skus/NO-SUCH-SKU', { body: { name: 'Now it exists' } });
    const replay = await rt.api(
      'POST',
      `/api/intake/exceptions/${replies[0]?.body.error.details.exceptionId}/replay`,
    );
    expect(replay.body.outcome).toMatchObject({ kind: 'created' });
    expect((await ordersOf('store-x', 'SF-77'))[0].lines).toEqual([
      expect.objectContaining({ sku: 'NO-SUCH-SKU', unitPrice: 500 }),
    ]);
  });
});

describe('garbage that verifies', () => {
  it('a truncated body becomes an exception, never a 500', async () => {
    const full = canonical('SF-TRUNC', [{ sku: 'TEE-ORG-BLK-M', quantity: 1, unitPrice: '5.00' }]);
    const truncated = full.slice(0, full.length - 17);
    const res = await storefront(truncated);
    expect(res).toMatchObject({ status: 400, body: { error: { code: 'MALFORMED_JSON' } } });
    const stored = await exception(res.body.error.details.exceptionId);
    expect(stored).toMatchObject({ code: 'MALFORMED_JSON', rawBody: truncated });

    const shopifyTruncated = JSON.stringify({ ...shopifyFixture, id: 7000003 }).slice(0, 300);
    const viaShopify = await shopify(shopifyTruncated);
    expect(viaShopify).toMatchObject({ status: 200, body: { status: 'exception', code: 'MALFORMED_JSON' } });
  });

  it('a wrong type in a field becomes an exception naming the field, and replay keeps it open', async () => {
    const res = await storefront(
      canonical('SF-TYPE', [{ sku: 'TEE-ORG-BLK-M', quantity: 'two', unitPrice: '5.00' }]),
    );
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'INVALID_PAYLOAD' });
    expect(res.body.error.details.issues).toEqual([expect.objectContaining({ field: 'lines.0.quantity' })]);

    const viaShopify = await shopify(
      JSON.stringify({
        ...shopifyFixture,
        id: 7000004,
        line_items: [{ ...shopifyFixture.line_items[0], quantity: '2' }],
      }),
    );
    expect(viaShopify).toMatchObject({ status: 200, body: { status: 'exception', code: 'INVALID_PAYLOAD' } });

    const replay = await rt.api(
      'POST',
      `/api/intake/exceptions/${res.body.error.details.exceptionId}/replay`,
    );
    expect(replay).toMatchObject({ status: 422, body: { error: { code: 'INVALID_PAYLOAD' } } });
    expect(await ordersOf('store-x', 'SF-TYPE')).toEqual([]);
  });

  it('an amount that is not a decimal becomes an exception', async () => {
    const res = await storefront(
      canonical('SF-AMT', [{ sku: 'TEE-ORG-BLK-M', quantity: 1, unitPrice: '1,000.00' }]),
    );
    expect(res).toMatchObject({ status: 400, body: { error: { code: 'INVALID_PAYLOAD' } } });
  });
});

describe('access', () => {
  it('lets customer service read exceptions but not replay them, and keeps warehouse associates out', async () => {
    expect((await rt.api('GET', '/api/intake/exceptions', { role: 'customer-service' })).status).toBe(200);
    expect((await rt.api('GET', '/api/intake/exceptions', { role: 'warehouse-associate' })).status).toBe(403);
    const some = (await rt.api('GET', '/api/intake/exceptions')).body.items[0];
    expect(
      (
        await rt.api('POST', `/api/intake/exceptions/${some.exceptionId}/replay`, {
          role: 'customer-service',
        })
      ).status,
    ).toBe(403);
    expect(
      (await rt.api('POST', '/api/intake/exceptions/exc_00000000000000000000000000/replay')).status,
    ).toBe(404);
  });
});
