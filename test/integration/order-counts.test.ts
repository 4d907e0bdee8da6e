import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';
import {
  putChannel,
  putLocation,
  putSku,
  sendOrder,
  stock,
  waitForStatus,
} from '../workflows/order-release-helpers.ts';

/**
 * GET /api/orders/counts and /api/orders/backlog: the Overview's live counts and the backlog
 * chart, from the status index. Orders come in through signed storefront webhooks and are moved
 * by the real release workflow, so the counts are checked against what the workflow did.
 */

let rt: TestRuntime;
const HOUR = 3_600_000;
const NEWARK = {
  name: 'Ann Lee',
  line1: '2 Broad St',
  city: 'Newark',
  region: 'NJ',
  postalCode: '07102',
  country: 'US',
};

const ago = (hours: number) => new Date(Date.now() - hours * HOUR).toISOString();
const orders: Record<'fresh' | 'late' | 'held' | 'short', { id: string; placedAt: string }> = {} as never;

beforeAll(async () => {
  rt = await startTestRuntime();
  await putSku(rt, 'LAMP');
  await putSku(rt, 'RUG');
  await putLocation(rt, 'EAST', 'warehouse', 'US', 'NJ');
  await putLocation(rt, 'WEST', 'warehouse', 'US', 'OR');
  await putChannel(rt, 'web', { locationIds: ['EAST', 'WEST'] });
  await stock(rt, 'LAMP', 'EAST', 10);
  await stock(rt, 'LAMP', 'WEST', 10);

  const send = async (key: keyof typeof orders, placedAt: string, spec: Parameters<typeof sendOrder>[2]) => {
    orders[key] = { id: await sendOrder(rt, 'web', { externalId: `c-${key}`, placedAt, ...spec }), placedAt };
  };
  // Released an hour ago to the west: on time. Released three days ago to the east: at risk.
  await send('fresh', ago(1), { lines: [{ sku: 'LAMP', quantity: 1 }] });
  await send('late', ago(72), { lines: [{ sku: 'LAMP', quantity: 1 }], shipTo: NEWARK });
  await send('held', ago(48), { lines: [{ sku: 'LAMP', quantity: 1 }], payment: 'authorized' });
  await send('short', ago(2), { lines: [{ sku: 'RUG', quantity: 1 }] });
  await waitForStatus(rt, orders.fresh.id, 'released');
  await waitForStatus(rt, orders.late.id, 'released');
  await waitForStatus(rt, orders.held.id, 'on_hold');
  await waitForStatus(rt, orders.short.id, 'backordered');
  await rt.settle();
}, 120_000);

afterAll(async () => {
  await rt?.stop();
});

describe('GET /api/orders/counts', () => {
  it('counts every status queue, names the oldest order in each, and counts those at risk', async () => {
    const res = await rt.api('GET', '/api/orders/counts', { role: 'supervisor' });

    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({
      counts: {
        received: 0,
        on_hold: 1,
        backordered: 1,
        released: 2,
        picking: 0,
        packed: 0,
        partially_shipped: 0,
        shipped: 0,
        cancelled: 0,
        failed: 0,
      },
      oldest: {
        on_hold: orders.held.placedAt,
        backordered: orders.short.placedAt,
        released: orders.late.placedAt,
      },
      atRisk: {
        count: 1,
        statuses: ['released', 'picking', 'packed'],
        olderThanHours: 24,
        placedBefore: expect.any(String),
      },
      truncated: false,
    });
  });

  it('counts only the orders allocated to a location when one is given', async () => {
    const east = await rt.api('GET', '/api/orders/counts?locationId=EAST', { role: 'warehouse-associate' });
    const west = await rt.api('GET', '/api/orders/counts?locationId=WEST', { role: 'warehouse-associate' });

    expect(east.status).toBe(200);
    expect(east.body.counts).toMatchObject({ released: 1, on_hold: 0, backordered: 0 });
    expect(east.body.oldest).toEqual({ released: orders.late.placedAt });
    expect(east.body.atRisk.count).toBe(1);
    expect(west.body.counts).toMatchObject({ released: 1, on_hold: 0 });
    expect(west.body.oldest).toEqual({ released: orders.fresh.placedAt });
    expect(west.body.atRisk.count).toBe(0);
  });

  it('serves the roles that read orders, and refuses others and bad filters', async () => {
    const finance = await rt.api('GET', '/api/orders/counts', { role: 'finance' });
    const controller = await rt.api('GET', '/api/orders/counts', { role: 'inventory-controller' });
    const anonymous = await rt.api('GET', '/api/orders/counts', { role: null });
    const bad = await rt.api('GET', '/api/orders/counts?locationId=no%20spaces%20here!', { role: 'admin' });

    expect(finance.status).toBe(200);
    expect(controller.status).toBe(403);
    expect(anonymous.status).toBe(401);
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');
  });
});

describe('GET /api/orders?queue=at_risk', () => {
  it('lists the released orders placed more than a day ago, and only those', async () => {
    const res = await rt.api('GET', '/api/orders?queue=at_risk', { role: 'supervisor' });

    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.items.map((o: { orderId: string }) => o.orderId)).toEqual([orders.late.id]);
  });
});

describe('GET /api/orders/backlog', () => {
  it('answers one entry per day, oldest first: today the current statuses, every day the orders open by then', async () => {
    const res = await rt.api('GET', '/api/orders/backlog?days=5', { role: 'finance' });

    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const days = res.body.days as { date: string; counts: Record<string, number> }[];
    expect(days).toHaveLength(5);
    expect(days[4]?.date).toBe(new Date().toISOString().slice(0, 10));
    expect(res.body.since).toBe(days[0]?.date);
    // Today ends now: every order in the status the workflow left it in.
    const todays = Object.fromEntries(Object.entries(days[4]?.counts ?? {}).filter(([, n]) => n > 0));
    expect(todays).toEqual({ released: 2, on_hold: 1, backordered: 1 });
    // None of them closed: each day's backlog holds every order placed by its end.
    for (const day of days) {
      const end = Date.parse(`${day.date}T00:00:00.000Z`) + 24 * HOUR;
      const placed = Object.values(orders).filter((o) => Date.parse(o.placedAt) < end).length;
      const open = Object.values(day.counts).reduce((n, c) => n + c, 0);
      expect(open, day.date).toBe(placed);
      expect(Object.keys(day.counts)).toContain('failed');
    }
    expect(res.body.truncated).toBe(false);
  });

  it('refuses a window longer than a quarter', async () => {
    const res = await rt.api('GET', '/api/orders/backlog?days=400', { role: 'admin' });
    expect(res.status).toBe(400);
  });
});
