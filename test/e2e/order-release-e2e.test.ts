import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';
import { sideBySide } from '../support/warehouse-floor.ts';
import {
  expectStockInvariants,
  positions,
  putChannel,
  putLocation,
  putSku,
  sendOrder,
  stock,
} from '../workflows/order-release-helpers.ts';

/**
 * The release path end to end on the local runtime: storefront webhooks → intake → outbox →
 * OrderReceived → the release fast path → inventory reservations → backorders → a receipt.
 * 1,000 one-unit orders, each delivered twice at once, over two channels of different priority,
 * against 50 units at two locations.
 */
const ORDERS = 1000;
const IN_FLIGHT = 32;
const CHANNELS = [
  { id: 'shop-vip', priority: 10 },
  { id: 'shop-std', priority: 1 },
];

let rt: TestRuntime;
const placed: { orderId: string; channelId: string; priority: number; placedAt: string }[] = [];

async function ordersOf(channelId: string): Promise<any[]> {
  const out: any[] = [];
  let cursor: string | undefined;
  do {
    const res = await rt.api(
      'GET',
      `/api/orders?channelId=${channelId}&limit=200${cursor ? `&cursor=${cursor}` : ''}`,
    );
    expect(res.status).toBe(200);
    out.push(...res.body.items);
    cursor = res.body.cursor;
  } while (cursor);
  return out;
}

async function allOrders() {
  return (await Promise.all(CHANNELS.map((c) => ordersOf(c.id)))).flat();
}

const total = (byLocation: Record<string, any>, field: string) =>
  Object.values(byLocation).reduce((s, p) => s + (p[field] as number), 0);

beforeAll(async () => {
  rt = await startTestRuntime();
  await putSku(rt, 'DROP');
  await putLocation(rt, 'EAST', 'warehouse', 'US', 'NJ');
  await putLocation(rt, 'WEST', 'warehouse', 'US', 'OR');
  for (const c of CHANNELS)
    await putChannel(rt, c.id, { locationIds: ['EAST', 'WEST'], priority: c.priority });
  await stock(rt, 'DROP', 'EAST', 25);
  await stock(rt, 'DROP', 'WEST', 25);
}, 120_000);

afterAll(async () => {
  await rt?.stop();
});

describe('order release at volume', () => {
  it('takes 1,000 orders delivered twice, releases exactly 50 and backorders 950', async () => {
    const base = Date.parse('2026-11-01T00:00:00Z');
    const specs = Array.from({ length: ORDERS }, (_, i) => {
      const channel = CHANNELS[i % 2] as (typeof CHANNELS)[number];
      return { i, channel, placedAt: new Date(base + i * 1000).toISOString(), externalId: `drop-${i}` };
    });
    // Each order twice, concurrently (same delivery id: a sender's retry racing its original).
    const deliveries = specs.flatMap((s) => [s, s]);

    await sideBySide(deliveries, IN_FLIGHT, async (s) => {
      const orderId = await sendOrder(
        rt,
        s.channel.id,
        { externalId: s.externalId, placedAt: s.placedAt, lines: [{ sku: 'DROP', quantity: 1 }] },
        `delivery-${s.externalId}`,
      );
      if (!placed.some((p) => p.orderId === orderId)) {
        placed.push({ orderId, channelId: s.channel.id, priority: s.channel.priority, placedAt: s.placedAt });
      }
    });
    await rt.settle();

    const orders = await allOrders();
    const byStatus = (status: string) => orders.filter((o) => o.status === status);
    expect(new Set(orders.map((o) => o.orderId)).size).toBe(ORDERS);
    expect(byStatus('released')).toHaveLength(50);
    expect(byStatus('backordered')).toHaveLength(950);
    const stockNow = await positions(rt, 'DROP');
    expect(total(stockNow, 'reserved')).toBe(50);
    expect(total(stockNow, 'available')).toBe(0);
    // No order needed a person: every one took the fast path, none a durable execution.
    expect(rt.sfn.listExecutions(rt.sfn.arnOf('order-release'))).toHaveLength(0);
    await expectStockInvariants(rt, ['DROP']);
  }, 900_000);

  it('releases the 100 oldest backorders by channel priority when 100 units arrive', async () => {
    const priorityOf = (orderId: string) => placed.find((p) => p.orderId === orderId)?.priority ?? 0;
    const before = await allOrders();
    const expected = before
      .filter((o) => o.status === 'backordered')
      .sort(
        (a, b) =>
          priorityOf(b.orderId) - priorityOf(a.orderId) ||
          a.placedAt.localeCompare(b.placedAt) ||
          a.orderId.localeCompare(b.orderId),
      )
      .slice(0, 100)
      .map((o) => o.orderId)
      .sort();

    const receipt = await rt.api('POST', '/api/inventory/receipts', {
      role: 'warehouse-associate',
      body: {
        sku: 'DROP',
        locationId: 'EAST',
        quantity: 100,
        reason: 'PO-DROP-1',
        idempotencyKey: 'po-drop-1-east',
      },
    });
    expect(receipt.status).toBe(201);
    await rt.settle();

    const after = await allOrders();
    const wasBackordered = new Set(before.filter((o) => o.status === 'backordered').map((o) => o.orderId));
    const newlyReleased = after
      .filter((o) => o.status === 'released' && wasBackordered.has(o.orderId))
      .map((o) => o.orderId)
      .sort();
    expect(newlyReleased).toEqual(expected);
    expect(after.filter((o) => o.status === 'released')).toHaveLength(150);
    expect(after.filter((o) => o.status === 'backordered')).toHaveLength(850);
    const stockNow = await positions(rt, 'DROP');
    expect(total(stockNow, 'reserved')).toBe(150);
    expect(total(stockNow, 'available')).toBe(0);
    await expectStockInvariants(rt, ['DROP']);
  }, 600_000);
});
