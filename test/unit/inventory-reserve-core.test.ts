import { describe, expect, it } from 'vitest';
import type { Sku } from '../../functions/catalog/schemas/sku.ts';
import { classifyFailure } from '../../functions/inventory/adapters/position-update.ts';
import { closeReservation } from '../../functions/inventory/core/close-reservation.ts';
import type {
  ChangeOutcome,
  InventoryPorts,
  PositionChange,
  PositionStore,
  ReservationWrite,
} from '../../functions/inventory/core/ports.ts';
import { singlePositionReservation } from '../../functions/inventory/core/reservation-records.ts';
import { reserveStock } from '../../functions/inventory/core/reserve-stock.ts';
import {
  applyDeltas,
  availableDelta,
  emptyPosition,
  satisfies,
} from '../../functions/inventory/core/stock-position.ts';
import { CLOSED_STATUS, type Reservation } from '../../functions/inventory/schemas/reservation.ts';
import type { PositionKey, StockPosition } from '../../functions/inventory/schemas/stock.ts';

/**
 * The reservation use cases against an in-memory store that applies the same conditions the
 * DynamoDB adapter writes (requirements, command keys) and remembers the retry keys of applied
 * reservations as DynamoDB remembers request tokens (until `forgetRetryKeys`, the window's end)
 * — no SDK, no module spying.
 */
function memoryInventory(catalog: Sku[]) {
  const items = new Map<string, StockPosition>();
  const records = new Map<string, Reservation>();
  const shards = new Map<string, number>();
  const retryKeys = new Map<string, string>();
  let ticks = 0;
  const id = (k: PositionKey) => `${k.sku}|${k.locationId}|${k.shard}`;
  const ok = (c: PositionChange, p: StockPosition | undefined) => {
    if (!p) return false;
    if (c.commandKey && p.done[c.commandKey]) return false;
    return satisfies({ ...p, available: p.available }, c.deltas);
  };
  const write = (c: PositionChange) => {
    const p = items.get(id(c.key)) as StockPosition;
    const next = applyDeltas(p, c.deltas);
    const after: StockPosition = {
      ...p,
      ...next,
      available: p.available + availableDelta(c.deltas),
      version: p.version + 1,
      done: c.commandKey ? { ...p.done, [c.commandKey]: c.op.at } : p.done,
      lastOp: c.op,
    };
    items.set(id(c.key), after);
    // What the stream consumer does a moment later, done at once: the single-position record.
    if (
      c.op.kind === 'reserve' &&
      c.op.via === 'single' &&
      c.op.reservationId &&
      !records.has(c.op.reservationId)
    ) {
      records.set(
        c.op.reservationId,
        singlePositionReservation({
          reservationId: c.op.reservationId,
          lines: c.op.lines ?? [
            { sku: c.key.sku, locationId: c.key.locationId, quantity: c.deltas.reserved ?? 0 },
          ],
          ...(c.op.expiresAt ? { expiresAt: c.op.expiresAt } : {}),
          key: c.key,
          version: after.version,
          at: c.op.at,
          actor: c.op.actor,
          correlationId: c.op.correlationId,
        }),
      );
    }
    return after;
  };
  const reservationOk = (w: ReservationWrite) =>
    w.kind === 'create'
      ? !records.has(w.reservation.reservationId)
      : records.get(w.reservationId)?.status === 'open';
  const positions: PositionStore = {
    async apply(c): Promise<ChangeOutcome> {
      const p = items.get(id(c.key));
      if (!ok(c, p)) return classifyFailure(c, p);
      return { status: 'applied', after: write(c) };
    },
    async reserve(c, retryKey): Promise<ChangeOutcome> {
      const body = JSON.stringify(c);
      const seen = retryKeys.get(retryKey);
      if (seen !== undefined) return seen === body ? { status: 'applied' } : { status: 'repeat' };
      const p = items.get(id(c.key));
      if (!ok(c, p)) return classifyFailure(c, p);
      write(c);
      retryKeys.set(retryKey, body);
      return { status: 'applied' };
    },
    async transact(changes, w) {
      const failures = changes.map((c) =>
        ok(c, items.get(id(c.key))) ? undefined : classifyFailure(c, items.get(id(c.key))),
      );
      const reservationFailed = w ? !reservationOk(w) : false;
      if (failures.some(Boolean) || reservationFailed)
        return { status: 'failed', changes: failures, reservationFailed };
      for (const c of changes) write(c);
      if (w?.kind === 'create') records.set(w.reservation.reservationId, w.reservation);
      if (w?.kind === 'close') {
        const r = records.get(w.reservationId) as Reservation;
        records.set(w.reservationId, {
          ...r,
          status: CLOSED_STATUS[w.action],
          closedAt: w.at,
          closedBy: w.by,
        });
      }
      return { status: 'applied' };
    },
    async ensure(k) {
      if (!items.has(id(k))) items.set(id(k), emptyPosition(k.sku, k.locationId, k.shard, 'now'));
    },
    async get(k) {
      return items.get(id(k));
    },
    async shardsOf(sku, loc, n) {
      return Array.from({ length: n }, (_, s) => items.get(`${sku}|${loc}|${s}`)).filter(
        (p): p is StockPosition => !!p,
      );
    },
    async headsOf(sku) {
      return {
        heads: [...items.values()].filter((p) => p.sku === sku && p.shard === 0),
        shards: shards.get(sku) ?? 1,
      };
    },
    async shardCount(sku) {
      return shards.get(sku) ?? 1;
    },
    async setShardCount(sku, n) {
      shards.set(sku, n);
    },
    async pruneDone() {},
    async skusAt() {
      return [];
    },
    async getLocation(locationId) {
      return { locationId, name: locationId, type: 'warehouse', createdAt: '', updatedAt: '' };
    },
    async putLocation() {},
  };
  const ports: InventoryPorts = {
    positions,
    reservations: {
      async get(rid) {
        return records.get(rid);
      },
      async createIfAbsent(r) {
        const existing = records.get(r.reservationId);
        if (existing) return { created: false, existing };
        records.set(r.reservationId, r);
        return { created: true };
      },
      async expiredBefore(now) {
        return [...records.values()].filter((r) => r.status === 'open' && r.expiresAt && r.expiresAt < now);
      },
    },
    ledger: {
      async putAll() {},
      async putIfAbsent() {
        return true;
      },
      async get() {
        return undefined;
      },
      async atTime() {
        return [];
      },
      async ofItem() {
        return [];
      },
      async ofSku() {
        return { items: [] };
      },
    },
    catalog: {
      async getMany(ids) {
        return new Map(catalog.filter((s) => ids.includes(s.sku)).map((s) => [s.sku, s]));
      },
      async kitsContaining() {
        return [];
      },
    },
    events: { async publish() {} },
    // A clock that moves, as a real one does between a client's retries.
    clock: () => new Date(Date.parse('2026-01-01T00:00:00.000Z') + ticks++),
  };
  const stock = async (sku: string, loc: string, units: number, shard = 0) => {
    await positions.ensure({ sku, locationId: loc, shard });
    await positions.apply({
      key: { sku, locationId: loc, shard },
      deltas: { onHand: units },
      op: { kind: 'adjust', at: 'now', actor: 't', correlationId: 'c' },
    });
  };
  const total = (sku: string, loc: string) =>
    [...items.values()]
      .filter((p) => p.sku === sku && p.locationId === loc)
      .reduce((s, p) => ({ reserved: s.reserved + p.reserved, available: s.available + p.available }), {
        reserved: 0,
        available: 0,
      });
  const forgetRetryKeys = () => retryKeys.clear();
  return { ports, stock, total, records, shards, forgetRetryKeys };
}

const sku = (id: string, extra: Partial<Sku> = {}): Sku => ({
  sku: id,
  name: id,
  createdAt: '',
  updatedAt: '',
  ...extra,
});
const CATALOG = [
  sku('MUG'),
  sku('LID'),
  sku('TEA', { substitutes: ['TEA-ALT'] }),
  sku('TEA-ALT'),
  sku('SET', {
    kit: {
      components: [
        { sku: 'MUG', quantity: 2 },
        { sku: 'LID', quantity: 1 },
      ],
    },
  }),
];
const ctx = { actor: 'ana', correlationId: 'c1' };

describe('reserveStock', () => {
  it('reserves one position with one write and answers the same reservation for the same id', async () => {
    const m = memoryInventory(CATALOG);
    await m.stock('MUG', 'WH1', 5);
    const cmd = { reservationId: 'r1', lines: [{ sku: 'MUG', locationId: 'WH1', quantity: 2 }] };

    const first = await reserveStock(m.ports, cmd, ctx);
    const again = await reserveStock(m.ports, cmd, ctx);

    expect(first.replayed).toBe(false);
    expect(again.replayed).toBe(true);
    expect(m.total('MUG', 'WH1')).toEqual({ reserved: 2, available: 3 });
  });

  it('sums lines that hit the same position before writing', async () => {
    const m = memoryInventory(CATALOG);
    await m.stock('MUG', 'WH1', 3);

    await expect(
      reserveStock(
        m.ports,
        {
          reservationId: 'r2',
          lines: [
            { sku: 'MUG', locationId: 'WH1', quantity: 2 },
            { sku: 'MUG', locationId: 'WH1', quantity: 2 },
          ],
        },
        ctx,
      ),
    ).rejects.toMatchObject({ code: 'INSUFFICIENT_STOCK' });
    expect(m.total('MUG', 'WH1')).toEqual({ reserved: 0, available: 3 });
  });

  it('reserves every line or none of them', async () => {
    const m = memoryInventory(CATALOG);
    await m.stock('MUG', 'WH1', 5);
    await m.stock('LID', 'WH1', 1);

    await expect(
      reserveStock(
        m.ports,
        {
          reservationId: 'r3',
          lines: [
            { sku: 'MUG', locationId: 'WH1', quantity: 2 },
            { sku: 'LID', locationId: 'WH1', quantity: 2 },
          ],
        },
        ctx,
      ),
    ).rejects.toMatchObject({
      code: 'INSUFFICIENT_STOCK',
      details: { shortages: [{ sku: 'LID', requested: 2, available: 1 }] },
    });
    expect(m.total('MUG', 'WH1').reserved).toBe(0);
    expect(m.records.has('r3')).toBe(false);
  });

  it('reserves a kit as its components, atomically', async () => {
    const m = memoryInventory(CATALOG);
    await m.stock('MUG', 'WH1', 4);
    await m.stock('LID', 'WH1', 2);

    const r = await reserveStock(
      m.ports,
      { reservationId: 'k1', lines: [{ sku: 'SET', locationId: 'WH1', quantity: 2 }] },
      ctx,
    );

    expect(r.reservation.allocations.map((a) => [a.sku, a.quantity, a.kitSku])).toEqual([
      ['MUG', 4, 'SET'],
      ['LID', 2, 'SET'],
    ]);
    await expect(
      reserveStock(
        m.ports,
        { reservationId: 'k2', lines: [{ sku: 'SET', locationId: 'WH1', quantity: 1 }] },
        ctx,
      ),
    ).rejects.toMatchObject({
      code: 'INSUFFICIENT_STOCK',
    });
  });

  it('uses a substitute only when the line allows it', async () => {
    const m = memoryInventory(CATALOG);
    await m.stock('TEA', 'WH1', 1);
    await m.stock('TEA-ALT', 'WH1', 5);

    await expect(
      reserveStock(
        m.ports,
        { reservationId: 's1', lines: [{ sku: 'TEA', locationId: 'WH1', quantity: 2 }] },
        ctx,
      ),
    ).rejects.toMatchObject({
      code: 'INSUFFICIENT_STOCK',
    });
    const allowed = await reserveStock(
      m.ports,
      {
        reservationId: 's2',
        lines: [{ sku: 'TEA', locationId: 'WH1', quantity: 2, allowSubstitutes: true }],
      },
      ctx,
    );

    expect(allowed.reservation.allocations).toEqual([
      expect.objectContaining({ sku: 'TEA-ALT', quantity: 2, substituteFor: 'TEA' }),
    ]);
  });

  it('takes a sharded position’s units from other shards when the home shard is empty', async () => {
    const m = memoryInventory(CATALOG);
    m.shards.set('MUG', 4);
    for (let s = 0; s < 4; s++) await m.stock('MUG', 'WH1', 1, s);

    for (let i = 0; i < 4; i++) {
      await reserveStock(
        m.ports,
        { reservationId: `h${i}`, lines: [{ sku: 'MUG', locationId: 'WH1', quantity: 1 }] },
        ctx,
      );
    }

    expect(m.total('MUG', 'WH1')).toEqual({ reserved: 4, available: 0 });
    await expect(
      reserveStock(
        m.ports,
        { reservationId: 'h-late', lines: [{ sku: 'MUG', locationId: 'WH1', quantity: 1 }] },
        ctx,
      ),
    ).rejects.toMatchObject({
      code: 'INSUFFICIENT_STOCK',
    });
  });

  it('refuses an expiry in the past, naming the field', async () => {
    const m = memoryInventory(CATALOG);
    await expect(
      reserveStock(
        m.ports,
        { reservationId: 'x', lines: [{ sku: 'MUG', quantity: 1 }], expiresAt: '2020-01-01T00:00:00Z' },
        ctx,
      ),
    ).rejects.toMatchObject({ status: 400, details: { issues: [{ field: 'expiresAt' }] } });
  });
});

describe('closeReservation', () => {
  it('releases once and answers the released reservation when asked again', async () => {
    const m = memoryInventory(CATALOG);
    await m.stock('MUG', 'WH1', 3);
    await reserveStock(
      m.ports,
      {
        reservationId: 'c1',
        lines: [
          { sku: 'MUG', locationId: 'WH1', quantity: 1 },
          { sku: 'MUG', locationId: 'WH1', quantity: 1 },
        ],
      },
      ctx,
    );

    const first = await closeReservation(m.ports, 'c1', 'release', ctx);
    const again = await closeReservation(m.ports, 'c1', 'release', ctx);

    expect([first.applied, again.applied]).toEqual([true, false]);
    expect(m.total('MUG', 'WH1')).toEqual({ reserved: 0, available: 3 });
  });

  it('refuses to consume a reservation that was released', async () => {
    const m = memoryInventory(CATALOG);
    await m.stock('MUG', 'WH1', 4);
    await m.stock('LID', 'WH1', 4);
    await reserveStock(
      m.ports,
      { reservationId: 'c2', lines: [{ sku: 'SET', locationId: 'WH1', quantity: 1 }] },
      ctx,
    );
    await closeReservation(m.ports, 'c2', 'release', ctx);

    await expect(closeReservation(m.ports, 'c2', 'consume', ctx)).rejects.toMatchObject({
      code: 'RESERVATION_CLOSED',
    });
  });

  it('answers NOT_FOUND for a reservation never made', async () => {
    const m = memoryInventory(CATALOG);
    await expect(
      closeReservation(m.ports, 'nope', 'release', ctx, { waitForRecordMs: 0 }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
