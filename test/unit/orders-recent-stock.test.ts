import { describe, expect, it } from 'vitest';
import { RECENT_STOCK_MS, recentStock } from '../../functions/orders/release/adapters/recent-stock.ts';
import type { ReceivedOrder } from '../../functions/orders/release/core/fast-path.ts';
import { releaseFast } from '../../functions/orders/release/core/fast-path.ts';
import type { ReleasePorts, ReservationLineRequest } from '../../functions/orders/release/core/ports.ts';
import {
  type ReleaseFields,
  type ReleaseOrder,
  routingRuleSet,
  type StockSnapshot,
} from '../../functions/orders/release/schemas.ts';

type Units = Record<string, Record<string, number>>;
const snapshotOf = (units: Units, skus: readonly string[]): StockSnapshot =>
  new Map(
    skus.map((sku) => [
      sku,
      new Map(Object.entries(units[sku] ?? {}).map(([loc, available]) => [loc, { available, inTransit: 0 }])),
    ]),
  );

/** A fake inventory: counts reads and answers what `units` says at the time of the read. */
function inventory(units: Units) {
  const reads: string[][] = [];
  let fail = false;
  const read = async (skus: readonly string[]) => {
    reads.push([...skus]);
    if (fail) throw new Error('throttled');
    return snapshotOf(units, skus);
  };
  return { reads, read, failNext: (f: boolean) => (fail = f) };
}

const free = (s: StockSnapshot, sku: string, loc: string) => s.get(sku)?.get(loc)?.available;

describe('routing stock remembered for a moment per container', () => {
  it('reads a SKU once for every order within the window, and again after it', async () => {
    const fake = inventory({ TEE: { WH1: 5 } });
    let now = 1_000;
    const stock = recentStock(fake.read, () => now);
    const [first] = await Promise.all([stock.recent.of(['TEE']), stock.recent.of(['TEE'])]);
    expect(first.fresh).toBe(true);
    now += RECENT_STOCK_MS - 1;
    expect((await stock.recent.of(['TEE'])).fresh).toBe(false);
    expect(free((await stock.recent.of(['TEE'])).stock, 'TEE', 'WH1')).toBe(5);
    expect(fake.reads).toEqual([['TEE']]);
    now += 1;
    expect((await stock.recent.of(['TEE'])).fresh).toBe(true);
    expect(fake.reads).toHaveLength(2);
  });

  it('takes off what this container reserved, and reads again once told the numbers were wrong', async () => {
    const units = { TEE: { WH1: 5 } };
    const fake = inventory(units);
    const stock = recentStock(fake.read, () => 0);
    await stock.recent.of(['TEE']);
    stock.recent.reserved('TEE', 'WH1', 2);
    expect(free((await stock.recent.of(['TEE'])).stock, 'TEE', 'WH1')).toBe(3);
    units.TEE.WH1 = 0;
    stock.recent.stale(['TEE']);
    expect(free((await stock.recent.of(['TEE'])).stock, 'TEE', 'WH1')).toBe(0);
    expect(fake.reads).toHaveLength(2);
  });

  it('always reads for a snapshot, and remembers what it read', async () => {
    const units = { TEE: { WH1: 5 } };
    const fake = inventory(units);
    const stock = recentStock(fake.read, () => 0);
    await stock.recent.of(['TEE']);
    units.TEE.WH1 = 9;
    expect(free(await stock.snapshot(['TEE']), 'TEE', 'WH1')).toBe(9);
    expect(free((await stock.recent.of(['TEE'])).stock, 'TEE', 'WH1')).toBe(9);
    expect(fake.reads).toHaveLength(2);
  });

  it('forgets expired SKUs once it remembers many, and keeps the fresh ones', async () => {
    const fake = inventory({});
    let now = 0;
    const stock = recentStock(fake.read, () => now);
    await stock.recent.of(Array.from({ length: 5_001 }, (_, i) => `OLD-${i}`));
    now += RECENT_STOCK_MS;
    expect(stock.remembered()).toBe(5_001);
    await stock.recent.of(['NEW']);
    expect(stock.remembered()).toBe(1);
    await stock.recent.of(['NEW']);
    expect(fake.reads.slice(1)).toEqual([['NEW']]);
  });

  it('answers copies, and keeps no failed read', async () => {
    const fake = inventory({ TEE: { WH1: 5 } });
    const stock = recentStock(fake.read, () => 0);
    const { stock: first } = await stock.recent.of(['TEE']);
    first.get('TEE')?.set('WH1', { available: 0, inTransit: 0 });
    expect(free((await stock.recent.of(['TEE'])).stock, 'TEE', 'WH1')).toBe(5);

    const failing = inventory({ TEE: { WH1: 5 } });
    const other = recentStock(failing.read, () => 0);
    failing.failNext(true);
    await expect(other.recent.of(['TEE'])).rejects.toThrow('throttled');
    failing.failNext(false);
    expect(free((await other.recent.of(['TEE'])).stock, 'TEE', 'WH1')).toBe(5);
  });
});

/**
 * The fast path over in-memory ports: `units` is the truth the reservation checks, `remembered`
 * what the container's memory of stock says (it may be wrong, as after another container's sale);
 * `fresh` when the memory had to read every SKU for this order.
 */
function fastPorts(units: Units, remembered: Units, { fresh = false } = {}) {
  const calls = { snapshots: 0, stale: [] as string[][], reservations: [] as string[] };
  const held = new Map<string, ReservationLineRequest[]>();
  const saved: Partial<ReleaseFields>[] = [];
  const ports = {
    orders: {
      load: async () => undefined,
      save: async (_order: ReleaseOrder, patch: Partial<ReleaseFields>) => {
        saved.push(patch);
        return 'ok' as const;
      },
    },
    channels: {
      get: async (channelId: string) => ({
        channelId,
        type: 'generic' as const,
        locationIds: ['WH1', 'WH2'],
        createdAt: '2026-12-01T00:00:00.000Z',
        updatedAt: '2026-12-01T00:00:00.000Z',
      }),
    },
    nodes: {
      get: async (ids: readonly string[]) =>
        new Map(
          ids.map((id) => [id, { locationId: id, name: id, type: 'warehouse' as const, country: 'US' }]),
        ),
    },
    stock: {
      snapshot: async (skus: readonly string[]) => {
        calls.snapshots++;
        return snapshotOf(units, skus);
      },
    },
    recentStock: {
      of: async (skus: readonly string[]) => ({ stock: snapshotOf(remembered, skus), fresh }),
      reserved: (sku: string, loc: string, quantity: number) => {
        const at = remembered[sku] ?? {};
        at[loc] = (at[loc] ?? 0) - quantity;
      },
      stale: (skus: readonly string[]) => calls.stale.push([...skus]),
    },
    rules: {
      active: async () => ({
        version: 0,
        rules: routingRuleSet.parse({}),
        createdAt: '1970-01-01T00:00:00.000Z',
        createdBy: 'system',
      }),
    },
    reservations: {
      async reserve(id: string, lines: ReservationLineRequest[]) {
        calls.reservations.push(id);
        if (lines.some((l) => (units[l.sku]?.[l.locationId] ?? 0) < l.quantity)) {
          return { status: 'insufficient' as const, shortages: [] };
        }
        for (const l of lines) {
          const at = units[l.sku] ?? {};
          at[l.locationId] = (at[l.locationId] ?? 0) - l.quantity;
        }
        held.set(id, lines);
        return { status: 'reserved' as const };
      },
      release: async () => 'unknown' as const,
    },
    workflows: { startRelease: async () => undefined },
    substitutes: { of: async () => new Map() },
    backorders: { put: async () => undefined },
    arrivals: { of: async () => new Map() },
    events: { publish: async () => undefined },
    clock: () => new Date('2026-12-06T12:00:00.000Z'),
  } as unknown as ReleasePorts;
  return { ports, calls, held, saved };
}

const order = (orderId: string, quantity = 1): ReceivedOrder => ({
  orderId,
  channelId: 'web',
  externalId: orderId,
  lines: [{ lineId: 'L1', sku: 'TEE', quantity, unitPrice: 1000 }],
  currency: 'USD',
  shipTo: { name: 'A Buyer', line1: '1 Main St', city: 'Portland', postalCode: '97201', country: 'US' },
  paymentStatus: 'paid',
  placedAt: '2026-12-06T11:59:00.000Z',
  serviceLevel: 'standard',
});

describe('fast release from remembered stock', () => {
  it('reserves where the remembered stock points, without reading stock', async () => {
    const { ports, calls, held } = fastPorts({ TEE: { WH1: 5 } }, { TEE: { WH1: 5 } });
    const out = await releaseFast(ports, order('o1', 2), { correlationId: 'c' });
    expect(out).toEqual({ status: 'released', shipments: 1 });
    expect(calls.snapshots).toBe(0);
    expect([...held.values()]).toEqual([[{ sku: 'TEE', locationId: 'WH1', quantity: 2 }]]);
  });

  it('plans again from a fresh read when the reservation refuses the remembered stock', async () => {
    // Another container sold WH1's units: its memory still says 5 there.
    const { ports, calls, held, saved } = fastPorts({ TEE: { WH1: 0, WH2: 3 } }, { TEE: { WH1: 5 } });
    const out = await releaseFast(ports, order('o2', 2), { correlationId: 'c' });
    expect(out).toEqual({ status: 'released', shipments: 1 });
    expect(calls.stale).toEqual([['TEE']]);
    expect(calls.snapshots).toBe(1);
    expect([...held.values()]).toEqual([[{ sku: 'TEE', locationId: 'WH2', quantity: 2 }]]);
    // Only the shipment that holds units is on the order: the refused one left nothing behind.
    expect(Object.values(saved[0]?.shipments ?? {}).map((s) => [s.locationId, s.status])).toEqual([
      ['WH2', 'released'],
    ]);
  });

  it('never backorders on remembered stock: the backorder follows a fresh read', async () => {
    const { ports, calls } = fastPorts({ TEE: { WH1: 0 } }, { TEE: { WH1: 0 } });
    const out = await releaseFast(ports, order('o3'), { correlationId: 'c' });
    expect(out).toEqual({ status: 'backordered', lines: 1 });
    expect(calls.snapshots).toBe(1);
    expect(calls.reservations).toEqual([]);
  });

  it('backorders on the read the memory just made for this order, without reading again', async () => {
    const { ports, calls } = fastPorts({ TEE: { WH1: 0 } }, { TEE: { WH1: 0 } }, { fresh: true });
    const out = await releaseFast(ports, order('o5'), { correlationId: 'c' });
    expect(out).toEqual({ status: 'backordered', lines: 1 });
    expect(calls.snapshots).toBe(0);
    expect(calls.reservations).toEqual([]);
  });

  it('releases from a fresh read when the memory says nothing is left but stock came in', async () => {
    const { ports, calls, held } = fastPorts({ TEE: { WH2: 4 } }, { TEE: { WH1: 0, WH2: 0 } });
    const out = await releaseFast(ports, order('o4'), { correlationId: 'c' });
    expect(out).toEqual({ status: 'released', shipments: 1 });
    expect(calls.snapshots).toBe(1);
    expect([...held.keys()]).toHaveLength(1);
  });
});
