import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inventoryKeys } from '../../functions/inventory/keys.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';

/** GET /api/inventory (stock browse) and GET /api/locations[/{id}] through the local runtime. */
let rt: TestRuntime;

interface Row {
  sku: string;
  name: string;
  kit?: unknown;
  locations: { locationId: string; onHand: number; available: number; buildable?: number }[];
  totalAvailable: number;
  buildable?: number;
}

const ALL = ['BR-CUP', 'BR-LID', 'BR-NEG', 'BR-NEW', 'BR-SET', 'BR-ZERO'];

beforeAll(async () => {
  rt = await startTestRuntime();
  for (const id of ['WH1', 'WH2']) {
    await rt.api('PUT', `/api/locations/${id}`, { body: { name: `Warehouse ${id}`, type: 'warehouse' } });
  }
  for (const sku of ['BR-CUP', 'BR-LID', 'BR-NEG', 'BR-NEW', 'BR-ZERO']) {
    await rt.api('PUT', `/api/skus/${sku}`, { body: { name: `Name of ${sku}` } });
  }
  await rt.api('PUT', '/api/skus/BR-SET', {
    body: {
      name: 'Cup set',
      kit: {
        components: [
          { sku: 'BR-CUP', quantity: 2 },
          { sku: 'BR-LID', quantity: 1 },
        ],
      },
    },
  });
  const stock: [string, string, number][] = [
    ['BR-CUP', 'WH1', 30],
    ['BR-CUP', 'WH2', 4],
    ['BR-LID', 'WH1', 3],
    ['BR-NEG', 'WH1', 5],
    ['BR-ZERO', 'WH1', 5],
    ['BR-ZERO', 'WH1', -5],
  ];
  for (const [i, [sku, locationId, delta]] of stock.entries()) {
    const res = await rt.api('POST', '/api/inventory/adjustments', {
      body: { sku, locationId, delta, reason: 'opening balance', idempotencyKey: `browse-${i}` },
    });
    expect(res.status).toBeLessThan(300);
  }
  // A position whose buckets no longer add up (what the checker reports): more reserved than on hand.
  const db = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: `http://127.0.0.1:${rt.config.ddbPort}`,
      region: rt.config.region,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
  );
  await db.send(
    new UpdateCommand({
      TableName: rt.config.tableName,
      Key: inventoryKeys.position('BR-NEG', 'WH1'),
      UpdateExpression: 'SET reserved = :r',
      ExpressionAttributeValues: { ':r': 8 },
    }),
  );
  db.destroy();
});
afterAll(async () => {
  await rt?.stop();
});

async function browse(query: string, role?: 'warehouse-associate') {
  const res = await rt.api('GET', `/api/inventory${query}`, role ? { role } : {});
  expect(res.status).toBe(200);
  return res.body as { items: Row[]; cursor?: string; lowAt: number };
}

async function allPages(query: string): Promise<Row[]> {
  const rows: Row[] = [];
  let cursor: string | undefined;
  do {
    const page = await browse(`${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    rows.push(...page.items);
    cursor = page.cursor;
  } while (cursor);
  return rows;
}

describe('GET /api/inventory', () => {
  it('lists every catalog SKU in SKU order with stock per location, for every reading role', async () => {
    const page = await browse('?limit=100', 'warehouse-associate');
    expect(page.items.map((r) => r.sku)).toEqual(ALL);
    const cup = page.items.find((r) => r.sku === 'BR-CUP');
    expect(cup).toMatchObject({ name: 'Name of BR-CUP', totalAvailable: 34 });
    expect(cup?.locations.map((l) => [l.locationId, l.onHand, l.available])).toEqual([
      ['WH1', 30, 30],
      ['WH2', 4, 4],
    ]);
    expect(page.items.find((r) => r.sku === 'BR-NEW')).toMatchObject({ locations: [], totalAvailable: 0 });
    expect(page.lowAt).toBe(10);
  });

  it('shows what a kit can build per location and in total', async () => {
    const { items } = await browse('?limit=100');
    const set = items.find((r) => r.sku === 'BR-SET');
    expect(set?.kit).toBeDefined();
    expect(set?.buildable).toBe(3); // WH1: min(30 ÷ 2, 3 ÷ 1); WH2 has cups but no lids
    expect(set?.locations.map((l) => [l.locationId, l.buildable])).toEqual([
      ['WH1', 3],
      ['WH2', 0],
    ]);
  });

  it('filters low stock (1 … lowAt sellable, kits by what they build), zero and negative', async () => {
    expect((await browse('?filter=low')).items.map((r) => r.sku)).toEqual(['BR-LID', 'BR-SET']);
    expect((await browse('?filter=low&lowAt=40')).items.map((r) => r.sku)).toEqual([
      'BR-CUP',
      'BR-LID',
      'BR-SET',
    ]);
    expect((await browse('?filter=zero')).items.map((r) => r.sku)).toEqual(['BR-NEG', 'BR-NEW', 'BR-ZERO']);
    const negative = await browse('?filter=negative');
    expect(negative.items.map((r) => [r.sku, r.locations[0]?.available])).toEqual([['BR-NEG', -3]]);
  });

  it('narrows to one location', async () => {
    const { items } = await browse('?locationId=WH2');
    expect(items.map((r) => [r.sku, r.totalAvailable, r.buildable])).toEqual([
      ['BR-CUP', 4, undefined],
      ['BR-SET', 0, 0],
    ]);
    expect((await browse('?locationId=WH2&filter=low')).items.map((r) => r.sku)).toEqual(['BR-CUP']);
  });

  it('pages by cursor: every SKU once, in order, with and without a filter', async () => {
    const first = await browse('?limit=2');
    expect(first.items).toHaveLength(2);
    expect(first.cursor).toBeDefined();
    expect((await allPages('?limit=2')).map((r) => r.sku)).toEqual(ALL);
    expect((await allPages('?limit=1&filter=zero')).map((r) => r.sku)).toEqual([
      'BR-NEG',
      'BR-NEW',
      'BR-ZERO',
    ]);
  });

  it('refuses an unknown filter and a caller without a token', async () => {
    const bad = await rt.api('GET', '/api/inventory?filter=most');
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');
    expect((await rt.api('GET', '/api/inventory', { role: null })).status).toBe(401);
  });
});

describe('GET /api/locations', () => {
  it('lists the locations in id order, paged, and answers one by id', async () => {
    const all = await rt.api('GET', '/api/locations', { role: 'customer-service' });
    expect(all.status).toBe(200);
    expect(all.body.items.map((l: { locationId: string }) => l.locationId)).toEqual(['WH1', 'WH2']);
    const first = await rt.api('GET', '/api/locations?limit=1');
    expect(first.body.items).toHaveLength(1);
    const second = await rt.api(
      'GET',
      `/api/locations?limit=1&cursor=${encodeURIComponent(first.body.cursor)}`,
    );
    expect(second.body.items.map((l: { locationId: string }) => l.locationId)).toEqual(['WH2']);

    const one = await rt.api('GET', '/api/locations/WH2');
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ locationId: 'WH2', name: 'Warehouse WH2', type: 'warehouse' });
    const missing = await rt.api('GET', '/api/locations/NOPE');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('NOT_FOUND');
  });
});
