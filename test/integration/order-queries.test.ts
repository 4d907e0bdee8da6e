import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamoOrderQueries, type OrderListing } from '../../functions/orders/adapters/order-queries.ts';
import type { Role } from '../../lib/manifest/types.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';
import {
  getOrder,
  putChannel,
  putLocation,
  putSku,
  sendOrder,
  stock,
  waitForStatus,
} from '../workflows/order-release-helpers.ts';

/**
 * GET /api/orders: the work-queue listing over gsi2 (ORDERSTATUS#<status> / <placedAt>#<orderId>).
 * Orders are taken in through signed storefront webhooks and moved by the real release workflow.
 */

let rt: TestRuntime;

interface Placed {
  orderId: string;
  channelId: string;
  placedAt: string;
  status: string;
  locations: string[];
}
const placed: Placed[] = [];

const BASE = Date.parse('2026-10-01T08:00:00.000Z');
const HOUR = 3_600_000;
const NEWARK = {
  name: 'Ann Lee',
  line1: '2 Broad St',
  city: 'Newark',
  region: 'NJ',
  postalCode: '07102',
  country: 'US',
};

/** What each order is sent as, and the status the workflow leaves it in. */
const PLAN: {
  channel: string;
  status: 'released' | 'on_hold' | 'backordered' | 'cancelled';
  sku: string;
  quantity?: number;
  east?: boolean;
}[] = [
  { channel: 'web', status: 'released', sku: 'LAMP' },
  { channel: 'shop', status: 'on_hold', sku: 'LAMP' },
  { channel: 'web', status: 'backordered', sku: 'RUG' },
  { channel: 'web', status: 'released', sku: 'LAMP', east: true },
  { channel: 'shop', status: 'released', sku: 'LAMP', quantity: 2 },
  { channel: 'web', status: 'on_hold', sku: 'LAMP' },
  { channel: 'shop', status: 'backordered', sku: 'RUG' },
  { channel: 'web', status: 'cancelled', sku: 'LAMP' },
  { channel: 'web', status: 'released', sku: 'LAMP', east: true },
  { channel: 'shop', status: 'on_hold', sku: 'LAMP', quantity: 3 },
  { channel: 'web', status: 'backordered', sku: 'RUG' },
  { channel: 'shop', status: 'released', sku: 'LAMP' },
];

const newestFirst = (list: Placed[]) =>
  [...list].sort((a, b) => b.placedAt.localeCompare(a.placedAt)).map((o) => o.orderId);

async function list(query: string, role: Role | null = 'admin') {
  return rt.api('GET', `/api/orders${query ? `?${query}` : ''}`, { role });
}

/** Every page of a listing, following the cursor; fails if a page repeats an order. */
async function allPages(query: string, limit: number) {
  const ids: string[] = [];
  const pages: number[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 50; i++) {
    const res = await list(`${query}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.items.length).toBeLessThanOrEqual(limit);
    pages.push(res.body.items.length);
    ids.push(...res.body.items.map((o: { orderId: string }) => o.orderId));
    cursor = res.body.cursor;
    if (!cursor) break;
  }
  expect(cursor).toBeUndefined();
  return { ids, pages };
}

beforeAll(async () => {
  rt = await startTestRuntime();
  await putSku(rt, 'LAMP');
  await putSku(rt, 'RUG');
  await putLocation(rt, 'EAST', 'warehouse', 'US', 'NJ');
  await putLocation(rt, 'WEST', 'warehouse', 'US', 'OR');
  await putChannel(rt, 'web', { locationIds: ['EAST', 'WEST'] });
  await putChannel(rt, 'shop', { locationIds: ['EAST', 'WEST'] });
  await stock(rt, 'LAMP', 'EAST', 20);
  await stock(rt, 'LAMP', 'WEST', 20);

  for (const [i, p] of PLAN.entries()) {
    const placedAt = new Date(BASE + i * HOUR).toISOString();
    const orderId = await sendOrder(rt, p.channel, {
      externalId: `q-${i}`,
      placedAt,
      lines: [{ sku: p.sku, quantity: p.quantity ?? 1 }],
      payment: p.status === 'on_hold' || p.status === 'cancelled' ? 'authorized' : 'paid',
      ...(p.east ? { shipTo: NEWARK } : {}),
    });
    placed.push({ orderId, channelId: p.channel, placedAt, status: p.status, locations: [] });
  }
  for (const [i, p] of PLAN.entries()) {
    const o = placed[i] as Placed;
    if (p.status === 'cancelled') {
      await waitForStatus(rt, o.orderId, 'on_hold');
      const res = await rt.api('POST', `/api/orders/${o.orderId}/cancel`, { body: { reason: 'test' } });
      expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
    }
    const order = await waitForStatus(rt, o.orderId, p.status);
    o.locations = [
      ...new Set(Object.values(order.shipments ?? {}).map((s) => (s as { locationId: string }).locationId)),
    ];
  }
  await rt.settle();
}, 180_000);

afterAll(async () => {
  await rt?.stop();
});

describe('GET /api/orders (work queues)', () => {
  it('lists one status newest first, as summaries', async () => {
    const res = await list('status=on_hold');

    expect(res.status).toBe(200);
    expect(res.body.items.map((o: Placed) => o.orderId)).toEqual(
      newestFirst(placed.filter((o) => o.status === 'on_hold')),
    );
    expect(res.body.cursor).toBeUndefined();
    const biggest = res.body.items[0];
    expect(biggest).toEqual({
      orderId: placed[9]?.orderId,
      channelId: 'shop',
      externalId: 'q-9',
      status: 'on_hold',
      placedAt: placed[9]?.placedAt,
      lineCount: 1,
      units: 3,
      openHolds: 1,
      ageSeconds: expect.any(Number),
      locationIds: [],
    });
    expect(biggest.ageSeconds).toBeGreaterThan(0);
    expect(biggest).not.toHaveProperty('lines');
  });

  it('lists every status merged newest first when no status is given', async () => {
    const res = await list('limit=100');

    expect(res.status).toBe(200);
    expect(res.body.items.map((o: Placed) => o.orderId)).toEqual(newestFirst(placed));
    expect(res.body.items.map((o: Placed) => o.status)).toEqual([...placed].reverse().map((o) => o.status));
    expect(res.body.cursor).toBeUndefined();
  });

  it('filters by channel, across statuses and within one', async () => {
    const shop = await list('channelId=shop');
    const shopHeld = await list('channelId=shop&status=on_hold');

    expect(shop.body.items.map((o: Placed) => o.orderId)).toEqual(
      newestFirst(placed.filter((o) => o.channelId === 'shop')),
    );
    expect(shopHeld.body.items.map((o: Placed) => o.orderId)).toEqual(
      newestFirst(placed.filter((o) => o.channelId === 'shop' && o.status === 'on_hold')),
    );
  });

  it('filters by the location an order is allocated to (its shipments)', async () => {
    const east = placed.filter((o) => o.locations.includes('EAST'));
    const west = placed.filter((o) => o.locations.includes('WEST'));

    const atEast = await list('locationId=EAST');
    const atWest = await list('locationId=WEST&status=released');

    expect(east.length).toBeGreaterThan(0);
    expect(west.length).toBeGreaterThan(0);
    expect(atEast.body.items.map((o: Placed) => o.orderId)).toEqual(newestFirst(east));
    expect(
      atEast.body.items.every((o: Placed & { locationIds: string[] }) => o.locationIds.includes('EAST')),
    ).toBe(true);
    expect(atWest.body.items.map((o: Placed) => o.orderId)).toEqual(
      newestFirst(west.filter((o) => o.status === 'released')),
    );
  });

  it('bounds placedAt by from and to, both inclusive, with or without a status', async () => {
    const from = placed[3]?.placedAt as string;
    const to = placed[8]?.placedAt as string;
    const inRange = placed.filter((o) => o.placedAt >= from && o.placedAt <= to);

    const all = await list(`from=${from}&to=${to}`);
    const released = await list(`status=released&from=${from}&to=${to}`);
    // A day (UTC) stands for all of it; every order here was placed on 2026-10-01.
    const day = await list('from=2026-10-01&to=2026-10-01&limit=100');
    const before = await list('to=2026-09-30');

    expect(all.body.items.map((o: Placed) => o.orderId)).toEqual(newestFirst(inRange));
    expect(released.body.items.map((o: Placed) => o.orderId)).toEqual(
      newestFirst(inRange.filter((o) => o.status === 'released')),
    );
    expect(day.body.items).toHaveLength(placed.length);
    expect(before.body).toEqual({ items: [] });
  });

  it('pages with the cursor: every order exactly once, in order, for any page size', async () => {
    const expected = newestFirst(placed);
    for (const limit of [1, 2, 5, 7]) {
      const { ids, pages } = await allPages('', limit);
      expect(ids, `limit ${limit}`).toEqual(expected);
      expect(new Set(ids).size).toBe(ids.length);
      expect(pages.slice(0, -1).every((n) => n === limit)).toBe(true);
    }
    const web = await allPages('channelId=web', 2);
    expect(web.ids).toEqual(newestFirst(placed.filter((o) => o.channelId === 'web')));
    const released = await allPages('status=released', 2);
    expect(released.ids).toEqual(newestFirst(placed.filter((o) => o.status === 'released')));
  });

  it('stays correct when a request runs out of reads: short pages, then the rest, each order once', async () => {
    // One item per query and barely a query beyond the first round: most pages stop early.
    const tight = dynamoOrderQueries(undefined, { maxQueries: 1, filteredChunk: 1, chunk: 1 });
    const filters: OrderListing[] = [
      {},
      { channelId: 'shop' },
      { locationId: 'EAST' },
      { status: 'released' },
    ];
    for (const filter of filters) {
      const ids: string[] = [];
      const sizes: number[] = [];
      let cursor: string | undefined;
      for (let i = 0; i < 500; i++) {
        const page = await tight.list(filter, 3, cursor);
        sizes.push(page.items.length);
        ids.push(...page.items.map((o) => o.orderId));
        cursor = page.cursor;
        if (!cursor) break;
      }
      const expected = placed.filter(
        (o) =>
          (!filter.channelId || o.channelId === filter.channelId) &&
          (!filter.locationId || o.locations.includes(filter.locationId)) &&
          (!filter.status || o.status === filter.status),
      );
      expect(cursor, JSON.stringify(filter)).toBeUndefined();
      expect(ids, JSON.stringify(filter)).toEqual(newestFirst(expected));
      expect(Math.min(...sizes.slice(0, -1)), JSON.stringify(filter)).toBeLessThan(3);
    }
  });

  it('keeps the point lookup by channel order id, answering the whole order', async () => {
    const first = placed[0] as Placed;

    const res = await list('channelId=web&externalId=q-0');
    const none = await list('channelId=web&externalId=nope');

    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(1);
    expect(res.body.items[0]).toEqual(await getOrder(rt, first.orderId));
    expect(res.body.items[0].lines).toHaveLength(1);
    expect(none.body).toEqual({ items: [] });
  });

  it('refuses bad queries with 400 and the fields at fault', async () => {
    const cases: [string, string][] = [
      ['status=lost', 'query.status'],
      ['limit=0', 'query.limit'],
      ['limit=201', 'query.limit'],
      ['limit=ten', 'query.limit'],
      ['from=yesterday', 'query.from'],
      ['to=2026-13-40', 'query.to'],
      ['from=2026-10-02&to=2026-10-01', 'query.to'],
      ['channelId=no%20spaces', 'query.channelId'],
      ['locationId=%2Fetc', 'query.locationId'],
      ['externalId=q-0', 'query.channelId'],
      ['cursor=not-a-cursor', 'query.cursor'],
    ];
    for (const [query, field] of cases) {
      const res = await list(query);
      expect(res.status, query).toBe(400);
      expect(res.body.error.code, query).toBe('VALIDATION_FAILED');
      expect(
        res.body.error.details.issues.map((i: { field: string }) => i.field),
        query,
      ).toContain(field);
    }
    // A cursor is only good for the filters it was made for.
    const page = await list('limit=1');
    const reused = await list(`status=released&cursor=${encodeURIComponent(page.body.cursor)}`);
    expect(reused.status).toBe(400);
    expect(reused.body.error.details.issues).toEqual([
      { field: 'query.cursor', message: 'the cursor belongs to a listing with other filters' },
    ]);
  });

  it('is for the roles the manifest names: others get 403, anonymous callers 401', async () => {
    const refused = await list('status=on_hold', 'inventory-controller');
    const anonymous = await list('status=on_hold', null);
    const allowed = await list('status=on_hold', 'warehouse-associate');

    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('FORBIDDEN');
    expect(anonymous.status).toBe(401);
    expect(allowed.status).toBe(200);
  });
});
