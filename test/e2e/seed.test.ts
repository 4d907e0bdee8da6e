import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, isValidEan13, type SeedResult, seedDemoData } from '../../local/seed.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';

/**
 * `npm run seed` as a new user meets it: a fresh stack, the demo shop loaded over HTTP, and what
 * the console then shows — SKUs found by scanning, stock per location, a buildable kit, orders in
 * different states — and a second run that changes nothing.
 */

let rt: TestRuntime;
let first: SeedResult;

const seed = async () =>
  seedDemoData({ baseUrl: rt.url, token: await rt.token('admin', 'demo-seed'), timeoutMs: 120_000 });

/** Every bucket of every position of the demo SKUs, keyed `sku@location`. */
async function stockSnapshot(): Promise<Record<string, Record<string, number>>> {
  const out: Record<string, Record<string, number>> = {};
  for (const { sku, kit } of DEMO.skus) {
    if (kit) continue;
    const res = await rt.api('GET', `/api/inventory/${sku}`);
    expect(res.status).toBe(200);
    for (const { locationId, updatedAt: _u, ...buckets } of res.body.positions)
      out[`${sku}@${locationId}`] = buckets;
  }
  return out;
}

async function channelOrders(): Promise<any[]> {
  const res = await rt.api('GET', `/api/orders?channelId=${DEMO.channel.channelId}&limit=200`);
  expect(res.status).toBe(200);
  return res.body.items;
}

async function ledgerLength(sku: string): Promise<number> {
  const res = await rt.api('GET', `/api/inventory/${sku}/ledger?limit=500`);
  expect(res.status).toBe(200);
  return res.body.items.length;
}

/** What the receipts, the adjustment and the move leave at a position (before orders reserve any). */
function seeded(sku: string, locationId: string) {
  const received = DEMO.receipts
    .filter((r) => r.locationId === locationId)
    .reduce((s, r) => s + (r.units[sku] ?? 0), 0);
  const adjusted = DEMO.adjustments
    .filter((a) => a.sku === sku && a.locationId === locationId)
    .reduce((s, a) => s + a.delta, 0);
  const damaged = DEMO.moves
    .filter((m) => m.sku === sku && m.locationId === locationId && m.to === 'damaged')
    .reduce((s, m) => s + m.quantity, 0);
  return { onHand: received + adjusted, damaged };
}

beforeAll(async () => {
  rt = await startTestRuntime();
  first = await seed();
  await rt.settle();
}, 300_000);

afterAll(async () => {
  await rt?.stop();
});

describe('npm run seed', () => {
  it('loads the catalog: every SKU is found by scanning its EAN-13', async () => {
    expect(first.skus).toBeGreaterThanOrEqual(10);
    for (const { sku, barcodes } of DEMO.skus) {
      for (const barcode of barcodes) {
        expect(isValidEan13(barcode), barcode).toBe(true);
        const res = await rt.api('GET', `/api/skus?barcode=${barcode}`, { role: 'warehouse-associate' });
        expect(res.status).toBe(200);
        expect(res.body.items.map((s: any) => s.sku)).toEqual([sku]);
      }
    }
    const search = await rt.api('GET', '/api/skus?q=Merino');
    expect(search.body.items.length).toBeGreaterThanOrEqual(2);
  });

  it('shows stock at each location, with the adjustment and the damaged unit', async () => {
    const locations = new Set<string>();
    for (const r of DEMO.receipts) {
      for (const sku of Object.keys(r.units)) {
        const res = await rt.api('GET', `/api/inventory/${sku}`, { role: 'customer-service' });
        expect(res.status).toBe(200);
        const position = res.body.positions.find((p: any) => p.locationId === r.locationId);
        expect(position, `${sku}@${r.locationId}`).toBeDefined();
        const expected = seeded(sku, r.locationId);
        expect(position.onHand, `${sku}@${r.locationId}`).toBe(expected.onHand);
        expect(position.damaged, `${sku}@${r.locationId}`).toBe(expected.damaged);
        expect(position.available).toBe(position.onHand - position.reserved - position.damaged);
        locations.add(r.locationId);
      }
    }
    expect([...locations].sort()).toEqual(DEMO.locations.map((l) => l.id).sort());
    expect(first.stock.applied).toBeGreaterThan(20);

    const ledger = await rt.api('GET', '/api/inventory/SOCK-HIKE-GRY-M/ledger?locationId=WH-EAST');
    expect(ledger.body.items.map((m: any) => m.kind).sort()).toEqual(
      expect.arrayContaining(['adjust', 'receive', 'reserve']),
    );
  });

  it('shows how many kits the components can build, per location and per channel', async () => {
    const kit = DEMO.skus.find((s) => s.kit)!;
    const res = await rt.api('GET', `/api/inventory/${kit.sku}`);
    expect(res.status).toBe(200);
    expect(res.body.kit.components).toEqual(kit.kit!.components);
    expect(res.body.kit.available).toBeGreaterThan(0);
    const byLocation = Object.fromEntries(
      res.body.kit.byLocation.map((l: any) => [l.locationId, l.available]),
    );
    expect(byLocation['WH-EAST']).toBeGreaterThan(0);
    expect(byLocation['WH-WEST']).toBeGreaterThan(0);
    expect(res.body.channels.map((c: any) => c.channelId)).toContain(DEMO.channel.channelId);
  });

  it('takes the orders through intake into different states', async () => {
    const orders = await channelOrders();
    expect(orders).toHaveLength(DEMO.orders.length);
    const statusOf = Object.fromEntries(orders.map((o) => [o.externalId, o.status]));
    expect(statusOf).toEqual(Object.fromEntries(DEMO.orders.map((o) => [o.externalId, o.expect])));
    expect(new Set(Object.values(statusOf))).toEqual(
      new Set(['released', 'backordered', 'on_hold', 'cancelled']),
    );
    expect(first.orders.every((o) => o.created && o.status === o.expected)).toBe(true);

    // The list carries summaries; the order page carries the holds and lines.
    const full = async (externalId: string) =>
      (await rt.api('GET', `/api/orders/${orders.find((o) => o.externalId === externalId).orderId}`)).body;
    const held = await full(orders.find((o) => o.status === 'on_hold').externalId);
    const holds = Object.values(held.holds).map((h: any) => h.type);
    expect(holds.sort()).toEqual(['manual', 'payment']);
    const listed = await full('RO-1003');
    expect(listed.lines.map((l: any) => l.sku)).toEqual(['JKT-RAIN-NVY-L', 'BOTTLE-750-SAGE']);
    // The demo's kit line is released as its parts.
    const withKit = await full('RO-1002');
    expect(withKit.status).toBe('released');
    expect(withKit.lines.map((l: any) => l.sku)).toContain('KIT-TRAIL-STARTER');
  });

  it('changes nothing when run a second time', async () => {
    const stockBefore = await stockSnapshot();
    const ordersBefore = await channelOrders();
    const ledgerBefore = await ledgerLength('TEE-MERINO-BLK-M');
    const rulesBefore = (await rt.api('GET', '/api/routing-rules')).body.active.version;

    const second = await seed();
    await rt.settle();

    expect(second.stock).toEqual({ applied: 0, alreadyThere: first.stock.applied });
    expect(second.orders.map((o) => o.created)).toEqual(DEMO.orders.map(() => false));
    expect(second.routingRules.seeded).toBe(false);
    expect(await stockSnapshot()).toEqual(stockBefore);
    const ordersAfter = await channelOrders();
    expect(ordersAfter).toHaveLength(ordersBefore.length);
    expect(ordersAfter.map((o) => [o.orderId, o.status, o.openHolds])).toEqual(
      ordersBefore.map((o) => [o.orderId, o.status, o.openHolds]),
    );
    expect(await ledgerLength('TEE-MERINO-BLK-M')).toBe(ledgerBefore);
    expect((await rt.api('GET', '/api/routing-rules')).body.active.version).toBe(rulesBefore);
  });

  it('says clearly when no stack is running', async () => {
    await expect(seedDemoData({ baseUrl: 'http://127.0.0.1:9', token: 'x' })).rejects.toThrow(
      /start it first with npm start/,
    );
  });
});
