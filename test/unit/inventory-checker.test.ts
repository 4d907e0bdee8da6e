import { describe, expect, it } from 'vitest';
import { checkInvariants, mismatchEvents } from '../../functions/inventory/core/check-invariants.ts';
import { movementOf } from '../../functions/inventory/core/ledger.ts';
import { applyDeltas, emptyPosition } from '../../functions/inventory/core/stock-position.ts';
import type { Reservation } from '../../functions/inventory/schemas/reservation.ts';
import type { Movement, StockPosition } from '../../functions/inventory/schemas/stock.ts';

const NOW = new Date('2026-01-01T12:00:00.000Z');
const LONG_AGO = '2026-01-01T11:00:00.000Z';
const key = { sku: 'MUG', locationId: 'WH1', shard: 0 };

/** A position built by a sequence of changes, with the ledger the stream would have written. */
function history(changes: { deltas: Record<string, number> }[]) {
  let p: StockPosition = emptyPosition('MUG', 'WH1', 0, LONG_AGO);
  const ledger: Movement[] = [];
  for (const c of changes) {
    const after = applyDeltas(p, c.deltas);
    const next: StockPosition = {
      ...p,
      ...after,
      version: p.version + 1,
      updatedAt: LONG_AGO,
    };
    ledger.push(
      movementOf({
        key,
        version: next.version,
        before: p,
        after: next,
        op: {
          kind: 'adjust',
          at: LONG_AGO,
          actor: 'ana',
          correlationId: 'c',
          reason: 'r',
          idempotencyKey: `k${next.version}`,
        },
      }),
    );
    p = next;
  }
  return { position: p, ledger };
}

const reservation = (id: string, quantity: number): Reservation => ({
  reservationId: id,
  status: 'open',
  lines: [{ sku: 'MUG', locationId: 'WH1', quantity }],
  allocations: [{ lineIndex: 0, sku: 'MUG', locationId: 'WH1', shard: 0, quantity }],
  createdAt: LONG_AGO,
  actor: 'ana',
  correlationId: 'c',
  via: 'single',
});

function check(
  positions: StockPosition[],
  ledger: Movement[],
  open: Reservation[] = [],
  lagAllowanceMs = 60_000,
) {
  return checkInvariants(
    {
      scanner: { positions: async () => positions, openReservations: async () => open },
      ledger: { ofItem: async () => ledger },
      clock: () => NOW,
    },
    { lagAllowanceMs },
  );
}

describe('the invariant checker', () => {
  it('finds nothing wrong with a position whose ledger, reserved and open reservations agree', async () => {
    const { position, ledger } = history([{ deltas: { onHand: 10 } }, { deltas: { reserved: 3 } }]);
    const report = await check([position], ledger, [reservation('r1', 3)]);
    expect(report.mismatches).toEqual([]);
    expect(report.movements).toBe(2);
  });

  it('reports a negative bucket and a materialized available that disagrees with the formula (invariant 1)', async () => {
    const { position, ledger } = history([{ deltas: { onHand: 2 } }]);
    const report = await check([{ ...position, damaged: -1, available: 7 }], ledger);
    expect(report.mismatches.filter((m) => m.invariant === 1).map((m) => m.problem)).toEqual([
      'negative damaged',
      'materialized available differs from the formula',
    ]);
  });

  it('reports a ledger that does not sum to the position, with the difference as evidence (invariant 2)', async () => {
    const { position, ledger } = history([{ deltas: { onHand: 10 } }]);
    const report = await check([{ ...position, onHand: 12, available: 12 }], ledger);
    expect(report.mismatches).toEqual([
      expect.objectContaining({
        invariant: 2,
        evidence: expect.objectContaining({ difference: { onHand: 2 } }),
      }),
    ]);
  });

  it('reports reserved that differs from the open reservations on the item (invariant 3)', async () => {
    const { position, ledger } = history([{ deltas: { onHand: 10 } }, { deltas: { reserved: 3 } }]);
    const none = await check([position], ledger, []);
    expect(none.mismatches.map((m) => [m.invariant, m.problem, m.evidence])).toEqual([
      [3, 'reserved differs from the open reservations on the item', { reserved: 3, openReservations: {} }],
    ]);
    const more = await check([position], ledger, [reservation('r1', 3), reservation('r2', 1)]);
    expect(more.mismatches.map((m) => [m.invariant, m.evidence])).toEqual([
      [3, { reserved: 3, openReservations: { r1: 3, r2: 1 } }],
    ]);
  });

  it('counts reserved that differs while a record on the item is recent as lagging (the stream writes it)', async () => {
    const { position, ledger } = history([{ deltas: { onHand: 10 } }, { deltas: { reserved: 3 } }]);
    const young = { ...reservation('r1', 3), createdAt: new Date(NOW.getTime() - 1000).toISOString() };
    const report = await check([position], ledger, [young, reservation('r2', 1)]);
    expect(report.mismatches).toEqual([]);
    expect(report.lagging).toBe(1);
    // With no allowance the same state is a mismatch: the check is exact once caught up.
    const strict = await check([position], ledger, [young, reservation('r2', 1)], 0);
    expect(strict.mismatches.map((m) => m.invariant)).toEqual([3]);
  });

  it('reports a change without a movement once it is older than the lag allowance (invariant 4)', async () => {
    const { position, ledger } = history([{ deltas: { onHand: 10 } }, { deltas: { onHand: 1 } }]);
    const report = await check([position], ledger.slice(0, 1));
    expect(report.mismatches.map((m) => m.invariant).sort()).toEqual([2, 4]);
  });

  it('counts a recent change the stream has not ledgered yet as lagging, not as a mismatch', async () => {
    const { position, ledger } = history([{ deltas: { onHand: 10 } }, { deltas: { onHand: 1 } }]);
    const recent = { ...position, updatedAt: new Date(NOW.getTime() - 1000).toISOString() };
    const report = await check([recent], ledger.slice(0, 1));
    expect(report.mismatches).toEqual([]);
    expect(report.lagging).toBe(1);
  });

  it('reports two movements for one change (a retried command must not make a second movement)', async () => {
    const { position, ledger } = history([{ deltas: { onHand: 10 } }]);
    const twin = { ...(ledger[0] as Movement), movementId: 'another-id' };
    const report = await check([{ ...position, onHand: 20, available: 20 }], [...ledger, twin]);
    expect(report.mismatches.map((m) => m.problem)).toContain('more than one movement for one change');
  });

  it('turns each mismatch into one InventoryMismatchDetected carrying its evidence', async () => {
    const { position, ledger } = history([{ deltas: { onHand: 10 } }]);
    const report = await check([{ ...position, onHand: 12, available: 12 }], ledger);
    const events = mismatchEvents(report, 'check-1');
    expect(events.map((e) => [e.detailType, (e.detail.data as { invariant: number }).invariant])).toEqual([
      ['InventoryMismatchDetected', 2],
    ]);
  });
});
