import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Channel } from '../../functions/orders/intake/schemas/channel.ts';
import { automaticHolds, fraudScoreOf } from '../../functions/orders/release/core/holds.ts';
import { planRouting, type RoutingRequest } from '../../functions/orders/release/core/routing.ts';
import { simulate } from '../../functions/orders/release/core/simulate.ts';
import {
  type NodeInfo,
  type ReleaseOrder,
  routingRuleSet,
  type StockSnapshot,
} from '../../functions/orders/release/schemas.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';
import {
  putChannel,
  putLocation,
  putSku,
  sendOrder,
  stock,
  waitForStatus,
} from '../workflows/order-release-helpers.ts';

const NODES = new Map<string, NodeInfo>([
  ['EAST', { locationId: 'EAST', type: 'warehouse', country: 'US', region: 'NJ' }],
  ['WEST', { locationId: 'WEST', type: 'warehouse', country: 'US', region: 'OR' }],
  ['TPL', { locationId: 'TPL', type: '3pl', country: 'US', region: 'TX' }],
  ['EU', { locationId: 'EU', type: 'warehouse', country: 'DE' }],
]);

const snapshot = (rows: [sku: string, loc: string, available: number][]): StockSnapshot => {
  const s: StockSnapshot = new Map();
  for (const [sku, loc, available] of rows) {
    if (!s.has(sku)) s.set(sku, new Map());
    s.get(sku)?.set(loc, { available, inTransit: 0 });
  }
  return s;
};

const request = (over: Partial<RoutingRequest> = {}): RoutingRequest => ({
  orderId: 'ord_1',
  lines: [{ lineId: 'L1', sku: 'A', quantity: 1 }],
  shipTo: { name: 'N', line1: '1', city: 'Portland', region: 'OR', postalCode: '97201', country: 'US' },
  serviceLevel: 'standard',
  placedAt: '2026-11-22T08:00:00Z',
  locationIds: ['EAST', 'WEST', 'TPL', 'EU'],
  nodes: NODES,
  stock: snapshot([
    ['A', 'EAST', 100],
    ['A', 'WEST', 100],
  ]),
  rules: routingRuleSet.parse({}),
  ruleVersion: 1,
  allowSplit: false,
  round: 1,
  now: new Date('2026-11-22T09:00:00Z'),
  ...over,
});

describe('routing core (pure)', () => {
  it('filters nodes that do not serve the destination and says why each candidate lost', () => {
    const plan = planRouting(request());

    expect(plan.shipments).toEqual([
      { locationId: 'WEST', lines: [{ lineId: 'L1', sku: 'A', quantity: 1 }] },
    ]);
    const why = Object.fromEntries(plan.decision.candidates.map((c) => [c.locationId, c.reasons]));
    expect(why.EU).toEqual(['does not serve US-OR']);
    expect(why.TPL).toContain('short of A: 0 available, 1 needed');
    expect(why.EAST?.at(-1)).toMatch(/^lost to WEST on score/);
  });

  it('ranks by the weighted score: node priority can outweigh distance', () => {
    const rules = routingRuleSet.parse({ weights: { priority: 10 }, nodes: { EAST: { priority: 100 } } });

    const plan = planRouting(request({ rules }));

    expect(plan.shipments[0]?.locationId).toBe('EAST');
    expect(plan.decision.candidates.find((c) => c.locationId === 'EAST')?.breakdown?.priority).toBe(10);
  });

  it('prefers a node that keeps the service-level promise over a closer one past its cutoff', () => {
    const rules = routingRuleSet.parse({
      nodes: { WEST: { cutoffHourUtc: 8, handlingDays: 1 } },
      slaDays: { overnight: 1 },
    });

    const plan = planRouting(request({ rules, serviceLevel: 'overnight' }));

    expect(plan.shipments[0]?.locationId).toBe('EAST');
    expect(plan.decision.candidates.find((c) => c.locationId === 'WEST')?.reasons.join(' ')).toMatch(
      /misses the overnight promise/,
    );
  });

  it('splits when no node has every line and the channel allows it, and backorders the rest', () => {
    const lines = [
      { lineId: 'L1', sku: 'A', quantity: 1 },
      { lineId: 'L2', sku: 'B', quantity: 1 },
      { lineId: 'L3', sku: 'C', quantity: 1 },
    ];
    const stock = snapshot([
      ['A', 'EAST', 5],
      ['B', 'WEST', 5],
    ]);

    const split = planRouting(request({ lines, stock, allowSplit: true }));
    const complete = planRouting(request({ lines, stock, allowSplit: false }));

    expect(split.shipments.map((s) => s.locationId).sort()).toEqual(['EAST', 'WEST']);
    expect(split.decision.split).toBe(true);
    expect(split.short.map((l) => l.lineId)).toEqual(['L3']);
    // Ship complete: the closer node holds the line it has, the rest waits for stock there.
    expect(complete.shipments.map((s) => s.locationId)).toEqual(['WEST']);
    expect(complete.short.map((l) => l.lineId).sort()).toEqual(['L1', 'L3']);
  });

  it('raises payment, fraud and address holds once, and never again after a person released them', () => {
    const order = {
      orderId: 'o',
      channelId: 'c',
      paymentStatus: 'authorized',
      lines: [{ lineId: 'L1', sku: 'A', quantity: 1, unitPrice: 90_000, discount: 0, isKit: false }],
      customerRef: null,
      serviceLevel: 'standard',
      shipTo: null,
    } as unknown as ReleaseOrder;
    const channel = { channelId: 'c', locationIds: ['WEST'], fraudThreshold: 50 } as Channel;
    const rules = routingRuleSet.parse({});

    const holds = automaticHolds(order, channel, NODES, rules, 'now');
    const released = Object.fromEntries(holds.map((h) => [h.holdId, { ...h, status: 'released' as const }]));

    expect(holds.map((h) => h.type)).toEqual(['payment', 'fraud', 'address']);
    expect(fraudScoreOf(order).score).toBe(60);
    expect(automaticHolds({ ...order, holds: released }, channel, NODES, rules, 'now')).toEqual([]);
  });

  it('simulates a rule set without touching the stock it was given', () => {
    const stock = snapshot([
      ['A', 'EAST', 1],
      ['A', 'WEST', 1],
    ]);
    const orders = [1, 2, 3].map((n) => ({
      orderId: `o${n}`,
      channelId: 'c',
      placedAt: `2026-11-2${n}T00:00:00Z`,
      lines: [{ lineId: 'L1', sku: 'A', quantity: 1 }],
      shipTo: request().shipTo,
      serviceLevel: 'standard',
    })) as unknown as ReleaseOrder[];
    const channels = new Map([['c', { channelId: 'c', locationIds: ['EAST', 'WEST'] } as Channel]]);

    const m = simulate({ orders, channels, nodes: NODES, stock }, routingRuleSet.parse({}), 1);

    expect(m).toMatchObject({ orders: 3, allocated: 2, backordered: 1, byNode: { WEST: 1, EAST: 1 } });
    expect(stock.get('A')?.get('EAST')?.available).toBe(1);
  });
});

describe('routing rules API', () => {
  let rt: TestRuntime;
  beforeAll(async () => {
    rt = await startTestRuntime();
    await putSku(rt, 'A');
    await putLocation(rt, 'EAST', 'warehouse', 'US', 'NJ');
    await putLocation(rt, 'WEST', 'warehouse', 'US', 'OR');
    await putChannel(rt, 'web', { locationIds: ['EAST', 'WEST'] });
    await stock(rt, 'A', 'EAST', 10);
    await stock(rt, 'A', 'WEST', 10);
  });
  afterAll(async () => {
    await rt?.stop();
  });

  it('versions rule sets, refuses editors without the role, and routes new orders by the active version', async () => {
    const denied = await rt.api('PUT', '/api/routing-rules', {
      role: 'customer-service',
      body: { rules: {} },
    });
    const v1 = await rt.api('PUT', '/api/routing-rules', {
      role: 'supervisor',
      body: { rules: { weights: { priority: 10 }, nodes: { EAST: { priority: 100 } } }, note: 'prefer EAST' },
    });
    const stale = await rt.api('PUT', '/api/routing-rules', { body: { rules: {}, expectedVersion: 0 } });
    const orderId = await sendOrder(rt, 'web', { lines: [{ sku: 'A', quantity: 1 }] });
    const order = await waitForStatus(rt, orderId, 'released');
    const current = await rt.api('GET', '/api/routing-rules', { role: 'customer-service' });

    expect(denied.status).toBe(403);
    expect(v1.status).toBe(201);
    expect(v1.body.version).toBe(1);
    expect(stale.status).toBe(409);
    expect(order.routing).toMatchObject({
      ruleVersion: 1,
      chosen: [{ locationId: 'EAST', lineIds: ['L1'] }],
    });
    expect(current.body.active.version).toBe(1);
  });

  it('simulates a candidate rule set against recent orders without changing stock', async () => {
    const before = await rt.api('GET', '/api/inventory/A');

    const res = await rt.api('POST', '/api/routing-rules/simulate', {
      role: 'admin',
      body: { rules: { nodes: { WEST: { priority: 100 } }, weights: { priority: 10 } }, days: 7 },
    });
    const after = await rt.api('GET', '/api/inventory/A');

    expect(res.status).toBe(200);
    expect(res.body.ordersReplayed).toBeGreaterThanOrEqual(1);
    expect(res.body.candidate.byNode).toEqual({ WEST: 1 });
    expect(res.body.active.byNode).toEqual({ EAST: 1 });
    expect(res.body.delta).toEqual(expect.objectContaining({ splitRate: 0, slaMisses: 0 }));
    expect(after.body.positions).toEqual(before.body.positions);
  });
});
