import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, NumberValue, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamoInventory } from '../../functions/inventory/adapters/dynamo-inventory.ts';
import { dynamoScanner } from '../../functions/inventory/adapters/dynamo-scanner.ts';
import { checkInvariants } from '../../functions/inventory/core/check-invariants.ts';
import { inventoryKeys } from '../../functions/inventory/keys.ts';
import { REJECTION_SAMPLES_PER_MINUTE } from '../../functions/orders/intake/adapters/rejection-store.ts';
import { MAX_BUCKET_UNITS, MAX_QUANTITY } from '../../functions/shared/bounds.ts';
import { LENIENT_NUMBERS } from '../../functions/shared/clients.ts';
import { hmacSha256 } from '../../functions/shared/webhooks.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';

/**
 * The limits of issue 13 through the real local runtime: bounded quantities and totals in
 * inventory, out-of-bounds channel payloads kept as intake exceptions, exception lists that stay
 * small (bodies over 256 KB in S3), and rejection records that a flood cannot grow without bound.
 */
const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/channels');
const shopifyFixture = JSON.parse(readFileSync(path.join(FIXTURES, 'shopify-orders-create.json'), 'utf8'));
const SHOPIFY_SECRET = 'shpss_limits_secret';
const STORE_SECRET = 'storefront-limits-key';

let rt: TestRuntime;
let raw: DynamoDBClient;
let db: DynamoDBDocumentClient;
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

const shopify = (body: string, channelId = 'shop-lim') =>
  post(`/webhooks/shopify/${channelId}`, body, {
    'x-shopify-hmac-sha256': hmacSha256(SHOPIFY_SECRET, body, 'base64'),
    'x-shopify-topic': 'orders/create',
    'x-shopify-webhook-id': nextId('shopify'),
  });

const storefront = (body: string) =>
  post('/webhooks/orders/store-lim', body, {
    'x-qm-signature': `sha256=${hmacSha256(STORE_SECRET, body, 'hex')}`,
    'idempotency-key': nextId('sf'),
  });

const ordersOf = async (channelId: string, externalId: string) =>
  (await rt.api('GET', `/api/orders?channelId=${channelId}&externalId=${externalId}`)).body
    .items as unknown[];

const adjust = (sku: string, delta: number, idempotencyKey = nextId('adj')) =>
  rt.api('POST', '/api/inventory/adjustments', {
    body: { sku, locationId: 'WH-L', delta, reason: 'count', idempotencyKey },
  });

async function stockOf(sku: string) {
  const res = await rt.api('GET', `/api/inventory/${sku}`);
  expect(res.status).toBe(200);
  return res.body.positions.find((p: { locationId: string }) => p.locationId === 'WH-L');
}

async function ledgerOf(sku: string) {
  await rt.settle();
  const res = await rt.api('GET', `/api/inventory/${sku}/ledger?limit=500`);
  expect(res.status).toBe(200);
  return res.body.items as { movementId: string }[];
}

beforeAll(async () => {
  rt = await startTestRuntime();
  raw = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${rt.config.ddbPort}`,
    region: rt.config.region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  db = DynamoDBDocumentClient.from(raw);
  expect(
    (await rt.api('PUT', '/api/locations/WH-L', { body: { name: 'L', type: 'warehouse' } })).status,
  ).toBe(201);
  for (const sku of ['BOUND-A', 'BOUND-B', 'BOUND-C', 'TEE-ORG-BLK-M']) {
    expect((await rt.api('PUT', `/api/skus/${sku}`, { body: { name: sku } })).status).toBe(201);
  }
  for (const [channelId, type, secret] of [
    ['shop-lim', 'shopify', SHOPIFY_SECRET],
    ['shop-flood', 'shopify', SHOPIFY_SECRET],
    ['store-lim', 'generic', STORE_SECRET],
  ] as const) {
    const res = await rt.api('PUT', `/api/channels/${channelId}`, {
      body: { type, secret, locationIds: ['WH-L'] },
    });
    expect(res.status).toBe(201);
  }
});

afterAll(async () => {
  raw?.destroy();
  await rt?.stop();
});

describe('inventory quantities', () => {
  it('refuses deltas of ±2^53 on adjustments and receipts, writes nothing, and the SKU stays readable', async () => {
    expect((await adjust('BOUND-A', 5)).status).toBe(201);
    const before = await stockOf('BOUND-A');
    const ledgerBefore = await ledgerOf('BOUND-A');

    for (const delta of [2 ** 53 - 1, -(2 ** 53), 1e9, MAX_QUANTITY + 1]) {
      const res = await adjust('BOUND-A', delta);
      expect(res.status, String(delta)).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      expect(res.body.error.details.issues.map((i: { field: string }) => i.field)).toContain('delta');
    }
    for (const quantity of [2 ** 53 - 1, 1e9]) {
      const res = await rt.api('POST', '/api/inventory/receipts', {
        body: { sku: 'BOUND-A', locationId: 'WH-L', quantity, reason: 'po', idempotencyKey: nextId('rcv') },
      });
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'VALIDATION_FAILED' });
      expect(res.body.error.details.issues).toEqual([expect.objectContaining({ field: 'quantity' })]);
    }

    expect(await stockOf('BOUND-A')).toEqual(before);
    expect(await ledgerOf('BOUND-A')).toEqual(ledgerBefore);
    expect((await adjust('BOUND-A', MAX_QUANTITY)).status).toBe(201);
    expect((await stockOf('BOUND-A')).onHand).toBe(5 + MAX_QUANTITY);
  });

  it('refuses a repeated +1,000,000 adjustment that would take on hand past the cap, writing nothing', async () => {
    expect((await adjust('BOUND-B', 1)).status).toBe(201);
    // Reaching 10^12 by API would take a million adjustments: start the position just below it.
    const start = MAX_BUCKET_UNITS - 2 * MAX_QUANTITY - 500_000;
    await db.send(
      new UpdateCommand({
        TableName: rt.config.tableName,
        Key: inventoryKeys.position('BOUND-B', 'WH-L', 0),
        UpdateExpression: 'SET onHand = :v, available = :v',
        ExpressionAttributeValues: { ':v': start },
      }),
    );
    expect((await adjust('BOUND-B', MAX_QUANTITY)).status).toBe(201);
    expect((await adjust('BOUND-B', MAX_QUANTITY)).status).toBe(201);
    const atTheEdge = await stockOf('BOUND-B');
    const ledgerBefore = await ledgerOf('BOUND-B');

    const refused = await adjust('BOUND-B', MAX_QUANTITY);
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({
      code: 'QUANTITY_OUT_OF_RANGE',
      details: { field: 'onHand', current: MAX_BUCKET_UNITS - 500_000, max: MAX_BUCKET_UNITS },
    });
    expect(await stockOf('BOUND-B')).toEqual(atTheEdge);
    expect(await ledgerOf('BOUND-B')).toEqual(ledgerBefore);
    // What still fits is taken, up to the cap exactly.
    expect((await adjust('BOUND-B', 500_000)).status).toBe(201);
    expect((await stockOf('BOUND-B')).onHand).toBe(MAX_BUCKET_UNITS);
  });

  it('still answers reads of a SKU whose stored number is beyond 2^53 (written before the bounds)', async () => {
    expect((await adjust('BOUND-C', 3)).status).toBe(201);
    await rt.settle();
    await db.send(
      new UpdateCommand({
        TableName: rt.config.tableName,
        Key: inventoryKeys.position('BOUND-C', 'WH-L', 0),
        UpdateExpression: 'SET onHand = :v',
        ExpressionAttributeValues: { ':v': NumberValue.from('9007199254741000') },
      }),
    );
    const read = await rt.api('GET', '/api/inventory/BOUND-C');
    expect(read.status).toBe(200);
    expect(read.body.positions[0].onHand).toBeGreaterThan(2 ** 53);
    expect((await rt.api('GET', '/api/inventory/BOUND-C/ledger')).status).toBe(200);
    // The checker reads the whole table as its handler does (lenient numbers) and reports the
    // item instead of failing the whole run.
    const lenient = DynamoDBDocumentClient.from(raw, { unmarshallOptions: { ...LENIENT_NUMBERS } });
    const table = rt.config.tableName;
    const report = await checkInvariants({
      scanner: dynamoScanner({ db: lenient, table }),
      ledger: dynamoInventory({ db: lenient, table }).ledger,
      clock: () => new Date(Date.now() + 120_000),
    });
    expect(report.positions).toBeGreaterThan(2);
    expect(report.mismatches).toContainEqual(expect.objectContaining({ sku: 'BOUND-C', invariant: 2 }));
  });
});

describe('channel payloads out of bounds', () => {
  const oneLine = (id: number, line: Record<string, unknown>) =>
    JSON.stringify({ ...shopifyFixture, id, line_items: [{ ...shopifyFixture.line_items[0], ...line }] });

  it('a Shopify line discounted past its price becomes an intake exception, not an order', async () => {
    const body = oneLine(8100001, { discount_allocations: [{ amount: '58.01' }] });
    const res = await shopify(body);
    expect(res).toMatchObject({ status: 200, body: { status: 'exception', code: 'DISCOUNT_EXCEEDS_PRICE' } });
    expect(res.body.issues).toEqual([expect.objectContaining({ field: 'lines.0.discount' })]);
    expect(await ordersOf('shop-lim', '8100001')).toEqual([]);
    // Exactly the line price is still an order (a free line).
    const free = await shopify(oneLine(8100002, { discount_allocations: [{ amount: '58.00' }] }));
    expect(free.body.status).toBe('created');
  });

  it('a Shopify line of 10^9 units becomes an intake exception, not an order', async () => {
    const res = await shopify(oneLine(8100003, { quantity: 1e9 }));
    expect(res).toMatchObject({ status: 200, body: { status: 'exception', code: 'QUANTITY_OUT_OF_RANGE' } });
    expect(await ordersOf('shop-lim', '8100003')).toEqual([]);
    const one = await rt.api('GET', `/api/intake/exceptions/${res.body.exceptionId}`);
    expect(one.body).toMatchObject({ code: 'QUANTITY_OUT_OF_RANGE', status: 'open' });
    expect(one.body.issues).toEqual([expect.objectContaining({ field: 'line_items.0.quantity' })]);
  });

  it('a storefront order discounted past its price is answered 422 and kept for replay', async () => {
    const body = JSON.stringify({
      externalId: 'SF-DISC',
      placedAt: '2026-11-20T10:00:00Z',
      currency: 'USD',
      lines: [{ sku: 'TEE-ORG-BLK-M', quantity: 1, unitPrice: '5.00', discount: '7.00' }],
      shipTo: null,
      payment: { status: 'paid' },
    });
    const res = await storefront(body);
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'DISCOUNT_EXCEEDS_PRICE' });
    expect(await ordersOf('store-lim', 'SF-DISC')).toEqual([]);
  });
});

describe('intake exceptions within Lambda limits', () => {
  it('lists summaries without bodies; one exception comes with its body', async () => {
    const body = JSON.stringify({
      ...shopifyFixture,
      id: 8200001,
      line_items: [{ ...shopifyFixture.line_items[0], quantity: 'x' }],
    });
    const id = (await shopify(body)).body.exceptionId;
    const list = await rt.api('GET', '/api/intake/exceptions?limit=200', { role: 'customer-service' });
    expect(list.status).toBe(200);
    for (const item of list.body.items) {
      expect(item.rawBody).toBeUndefined();
      expect(item.issues).toBeUndefined();
    }
    expect(list.body.items.find((e: { exceptionId: string }) => e.exceptionId === id)).toMatchObject({
      channelId: 'shop-lim',
      code: 'INVALID_PAYLOAD',
      reason: expect.stringMatching(/^INVALID_PAYLOAD: /),
      bodyBytes: Buffer.byteLength(body),
      bodyStorage: 'inline',
      issueCount: 1,
      status: 'open',
    });
    const one = await rt.api('GET', `/api/intake/exceptions/${id}`, { role: 'customer-service' });
    expect(one).toMatchObject({ status: 200, body: { exceptionId: id, rawBody: body } });
    expect(
      (await rt.api('GET', `/api/intake/exceptions/${id}`, { role: 'warehouse-associate' })).status,
    ).toBe(403);
    expect((await rt.api('GET', '/api/intake/exceptions/exc_00000000000000000000000000')).status).toBe(404);
  });

  it('keeps a delivery over 256 KB in S3: listed small, fetched whole, and replayable', async () => {
    const body = JSON.stringify({
      externalId: 'SF-BIG',
      placedAt: '2026-11-20T10:00:00Z',
      currency: 'USD',
      lines: [{ sku: 'BIG-LATER', quantity: 1, unitPrice: '5.00' }],
      shipTo: null,
      payment: { status: 'paid' },
      notes: 'é'.repeat(200_000),
    });
    expect(Buffer.byteLength(body)).toBeGreaterThan(256 * 1024);
    const res = await storefront(body);
    expect(res).toMatchObject({ status: 422, body: { error: { code: 'UNKNOWN_SKU' } } });
    const id = res.body.error.details.exceptionId;

    const list = await rt.api('GET', '/api/intake/exceptions?channelId=store-lim&limit=200');
    expect(JSON.stringify(list.body).length).toBeLessThan(20_000);
    expect(list.body.items.find((e: { exceptionId: string }) => e.exceptionId === id)).toMatchObject({
      bodyStorage: 's3',
      bodyBytes: Buffer.byteLength(body),
    });
    const one = await rt.api('GET', `/api/intake/exceptions/${id}`);
    expect(one.status).toBe(200);
    expect(one.body.rawBody === body).toBe(true);
    expect(one.body.bodyStorage).toBe('s3');

    await rt.api('PUT', '/api/skus/BIG-LATER', { body: { name: 'Now it exists' } });
    const replay = await rt.api('POST', `/api/intake/exceptions/${id}/replay`, { role: 'supervisor' });
    expect(replay).toMatchObject({ status: 200, body: { status: 'resolved', outcome: { kind: 'created' } } });
    expect(await ordersOf('store-lim', 'SF-BIG')).toHaveLength(1);
  });
});

describe('rejected webhooks', () => {
  const rejections = async () => (await rt.api('GET', '/api/intake/rejections?limit=200')).body;
  const countOf = (body: { counts: { channelId: string; rejected: number }[] }, channelId: string) =>
    body.counts.filter((c) => c.channelId === channelId).reduce((s, c) => s + c.rejected, 0);

  it('writes nothing for 50 unsigned or forged calls to a made-up channel', async () => {
    const madeUp = `nope-${Date.now()}`;
    const body = JSON.stringify({ ...shopifyFixture, id: 8300001 });
    const replies = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        post(`/webhooks/shopify/${madeUp}`, body, {
          'x-shopify-topic': 'orders/create',
          ...(i % 2 ? { 'x-shopify-hmac-sha256': hmacSha256('guess', body, 'base64') } : {}),
        }),
      ),
    );
    expect(new Set(replies.map((r) => r.status))).toEqual(new Set([401]));
    const after = await rejections();
    expect(after.counts.filter((c: { channelId: string }) => c.channelId === madeUp)).toEqual([]);
    expect(after.items.filter((r: { channelId: string }) => r.channelId === madeUp)).toEqual([]);
  });

  it('counts every unsigned call to a real channel exactly but keeps only a sample of records', async () => {
    // The sample is per minute: start well inside one, so every call lands in the same window.
    const second = new Date().getUTCSeconds();
    if (second > 40) await new Promise((r) => setTimeout(r, (61 - second) * 1000));
    const before = countOf(await rejections(), 'shop-flood');
    const calls = REJECTION_SAMPLES_PER_MINUTE + 15;
    const body = JSON.stringify({ ...shopifyFixture, id: 8300002 });
    for (let i = 0; i < calls; i++) {
      const res = await post('/webhooks/shopify/shop-flood', body, { 'x-shopify-topic': 'orders/create' });
      expect(res.status).toBe(401);
    }
    const after = await rejections();
    expect(countOf(after, 'shop-flood') - before).toBe(calls);
    const kept = after.items.filter((r: { channelId: string }) => r.channelId === 'shop-flood');
    expect(kept.length).toBe(REJECTION_SAMPLES_PER_MINUTE);
    expect(kept[0]).toMatchObject({ reason: 'missing-signature', bodyBytes: Buffer.byteLength(body) });
  });
});
