import { describe, expect, it } from 'vitest';
import { positionAttributes, toPosition, toReservation } from '../../functions/inventory/adapters/items.ts';
import { emptyPosition } from '../../functions/inventory/core/stock-position.ts';
import type { ConsumerPorts, StreamChange } from '../../functions/inventory/core/stream-consumer.ts';
import {
  DONE_RETENTION_MS,
  processStockStream,
  stableEventId,
} from '../../functions/inventory/core/stream-consumer.ts';
import type { Reservation } from '../../functions/inventory/schemas/reservation.ts';
import type { Movement, StockPosition } from '../../functions/inventory/schemas/stock.ts';
import type { DomainEvent } from '../../functions/shared/events.ts';

const NOW = new Date('2026-01-01T12:00:00.000Z');
const AT = '2026-01-01T11:59:59.000Z';

function fakes() {
  const movements = new Map<string, Movement>();
  const records = new Map<string, Reservation>();
  const events: DomainEvent[] = [];
  const applied: unknown[] = [];
  const pruned: string[][] = [];
  const ports = {
    positions: {
      apply: async (c: unknown) => {
        applied.push(c);
        return { status: 'applied' as const };
      },
      pruneDone: async (_k: unknown, keys: readonly string[]) => void pruned.push([...keys]),
    },
    reservations: {
      createIfAbsent: async (r: Reservation) => {
        const existing = records.get(r.reservationId);
        if (existing) return { created: false as const, existing };
        records.set(r.reservationId, r);
        return { created: true as const };
      },
    },
    ledger: {
      putAll: async (list: readonly Movement[]) => {
        for (const m of list) movements.set(m.movementId, m);
      },
    },
    events: { publish: async (list: readonly DomainEvent[]) => void events.push(...list) },
    catalog: { getMany: async () => new Map(), kitsContaining: async () => [] },
    clock: () => NOW,
    toPosition,
    toReservation,
  } as unknown as ConsumerPorts;
  return { ports, movements, records, events, applied, pruned };
}

/** A position item as the stream carries it. */
const base = (p: Partial<StockPosition>): Record<string, unknown> => ({
  entity: 'StockPosition',
  ...positionAttributes({ ...emptyPosition('MUG', 'WH1', 0, AT), ...p }),
});

const reserveWrite = (version: number, rid: string): StreamChange => ({
  eventName: 'MODIFY',
  oldImage: base({ onHand: 10, available: 10 - (version - 2), reserved: version - 2, version: version - 1 }),
  newImage: base({
    onHand: 10,
    available: 10 - (version - 1),
    reserved: version - 1,
    version,
    lastOp: { kind: 'reserve', at: AT, actor: 'ana', correlationId: 'c', reservationId: rid, via: 'single' },
  }),
});

describe('the stream consumer', () => {
  it('writes exactly one movement per position write, numbered by the item version', async () => {
    const f = fakes();
    await processStockStream(f.ports, [reserveWrite(2, 'r1'), reserveWrite(3, 'r2')]);
    expect([...f.movements.keys()]).toEqual(['MUG:WH1:0:2', 'MUG:WH1:0:3']);
    expect(f.movements.get('MUG:WH1:0:2')).toMatchObject({
      kind: 'reserve',
      deltas: { reserved: 1 },
      reason: 'reservation',
      idempotencyKey: 'res:r1:reserve',
    });
  });

  it('writes no movement for an item created empty or a pruning write (no new version)', async () => {
    const f = fakes();
    await processStockStream(f.ports, [
      { eventName: 'INSERT', newImage: base({}) },
      { eventName: 'MODIFY', oldImage: base({ version: 4 }), newImage: base({ version: 4 }) },
    ]);
    expect(f.movements.size).toBe(0);
  });

  it('writes the record of a single-position reservation, and the same movement and record on redelivery', async () => {
    const f = fakes();
    await processStockStream(f.ports, [reserveWrite(2, 'r1')]);
    const first = [...f.movements.values()];
    await processStockStream(f.ports, [reserveWrite(2, 'r1')]);
    expect([...f.movements.values()]).toEqual(first);
    expect(f.records.get('r1')).toMatchObject({
      status: 'open',
      allocations: [{ sku: 'MUG', quantity: 1, version: 2 }],
    });
    expect(f.applied).toEqual([]);
  });

  it('gives back the units of a late duplicate that re-reserved a reservation already closed', async () => {
    const f = fakes();
    await processStockStream(f.ports, [reserveWrite(2, 'r1')]);
    f.records.set('r1', { ...(f.records.get('r1') as Reservation), status: 'released' });
    await processStockStream(f.ports, [reserveWrite(5, 'r1')]);
    expect(f.applied).toEqual([
      expect.objectContaining({ deltas: { reserved: -1 }, commandKey: `res:r1:undo:${AT}` }),
    ]);
  });

  it('gives back the units of a duplicate of a reservation still open, under one command key per write', async () => {
    const f = fakes();
    await processStockStream(f.ports, [reserveWrite(2, 'r1')]);
    // After the retry window the same reservation reached the item again (version 4)…
    await processStockStream(f.ports, [reserveWrite(4, 'r1')]);
    // …and the batch is delivered again: the same key, which the item refuses a second time.
    await processStockStream(f.ports, [reserveWrite(4, 'r1')]);
    expect(f.records.get('r1')).toMatchObject({ status: 'open', allocations: [{ version: 2 }] });
    expect(f.applied).toEqual([
      expect.objectContaining({ deltas: { reserved: -1 }, commandKey: `res:r1:undo:${AT}` }),
      expect.objectContaining({ deltas: { reserved: -1 }, commandKey: `res:r1:undo:${AT}` }),
    ]);
  });

  it('announces reservation status changes once, with an event id stable across redeliveries', async () => {
    const f = fakes();
    const record: Reservation = {
      reservationId: 'r9',
      status: 'open',
      lines: [{ sku: 'MUG', quantity: 1 }],
      allocations: [],
      createdAt: AT,
      actor: 'ana',
      correlationId: 'c',
      via: 'tx',
    };
    const inserted: StreamChange = { eventName: 'INSERT', newImage: { entity: 'Reservation', ...record } };
    const released: StreamChange = {
      eventName: 'MODIFY',
      oldImage: { entity: 'Reservation', ...record },
      newImage: { entity: 'Reservation', ...record, status: 'released', closedAt: AT, closedBy: 'ana' },
    };
    await processStockStream(f.ports, [inserted, released]);
    await processStockStream(f.ports, [released]);
    expect(f.events.map((e) => e.detailType)).toEqual([
      'StockReserved',
      'ReservationReleased',
      'ReservationReleased',
    ]);
    expect(f.events[1]?.detail.metadata.eventId).toBe(f.events[2]?.detail.metadata.eventId);
    expect(f.events[1]?.detail.metadata.eventId).toBe(stableEventId('r9:released'));
  });

  it('announces keyed commands (StockAdjusted) from the ledger movement', async () => {
    const f = fakes();
    await processStockStream(f.ports, [
      {
        eventName: 'MODIFY',
        oldImage: base({ version: 1 }),
        newImage: base({
          version: 2,
          onHand: 5,
          available: 5,
          lastOp: {
            kind: 'adjust',
            at: AT,
            actor: 'ana',
            correlationId: 'c',
            reason: 'count',
            idempotencyKey: 'k-1',
          },
        }),
      },
    ]);
    expect(f.events.map((e) => [e.detailType, (e.detail.data as { delta: number }).delta])).toEqual([
      ['StockAdjusted', 5],
    ]);
  });

  it('prunes command keys older than the retention from the item', async () => {
    const f = fakes();
    const old = new Date(NOW.getTime() - DONE_RETENTION_MS - 1000).toISOString();
    await processStockStream(f.ports, [
      {
        eventName: 'MODIFY',
        oldImage: base({ version: 3, done: { oldKey: old, newKey: AT } }),
        newImage: base({ version: 3, done: { oldKey: old, newKey: AT } }),
      },
    ]);
    expect(f.pruned).toEqual([['oldKey']]);
  });
});
