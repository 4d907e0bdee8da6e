import { createEvent, type DomainEvent } from '#shared/events';
import { InventoryMismatchDetected } from '../events/inventory-mismatch-detected.ts';
import type { BinStock } from '../schemas/bins.ts';
import type { Reservation } from '../schemas/reservation.ts';
import { ALL_BUCKETS, type Movement, type PositionKey, type StockPosition } from '../schemas/stock.ts';
import { ledgerTotals } from './ledger.ts';
import type { LedgerStore } from './ports.ts';
import { holdsByItem } from './reservation-records.ts';
import { availableOf, bucketsOf, violations } from './stock-position.ts';

export interface Mismatch {
  sku: string;
  locationId: string;
  shard: number;
  invariant: 1 | 2 | 3 | 4 | 5;
  problem: string;
  evidence: Record<string, unknown>;
}

export interface CheckReport {
  checkedAt: string;
  positions: number;
  openReservations: number;
  movements: number;
  /** Items whose ledger or records have not caught up yet (within the lag allowance): not judged. */
  lagging: number;
  mismatches: Mismatch[];
}

/** Full reads for a check: every position item, every open reservation and every bin's units. */
export interface InventoryScanner {
  positions(): Promise<StockPosition[]>;
  openReservations(): Promise<Reservation[]>;
  /** Without it, invariant 5 (bins) is not checked (a scanner limited to some positions). */
  bins?(): Promise<BinStock[]>;
}

export interface CheckPorts {
  scanner: InventoryScanner;
  ledger: Pick<LedgerStore, 'ofItem'>;
  clock: () => Date;
}

/** How long the stream may take to write a change's ledger movement / reservation record. @default 60 s */
export const DEFAULT_LAG_ALLOWANCE_MS = 60_000;

const itemId = (k: PositionKey) => `${k.sku}\u0000${k.locationId}\u0000${k.shard}`;

/**
 * Proves the four inventory invariants (docs/architecture.md) for every position item:
 * 1. no bucket negative, available ≥ 0, and the materialized available equals the formula;
 * 2. the ledger sums to the position (every bucket, not only onHand), once caught up;
 * 3. reserved equals the sum of the open reservation records' units on the item (the records
 *    are the holds: the item carries none), judged once the stream has caught up with the item
 *    and nothing on it or its records changed within the lag allowance;
 * 4. every change (version 1..n) has exactly one attributed movement (who, why, when,
 *    correlation id, idempotency key);
 * 5. per SKU × location the units in its bins add up to onHand (over the shards), and no bin is
 *    below zero (checked when the scanner reads bins).
 * Changes younger than the lag allowance that the stream has not ledgered yet are counted as
 * lagging, not as mismatches.
 */
export async function checkInvariants(
  ports: CheckPorts,
  opts: { lagAllowanceMs?: number; sku?: string } = {},
): Promise<CheckReport> {
  const now = ports.clock();
  const allowance = opts.lagAllowanceMs ?? DEFAULT_LAG_ALLOWANCE_MS;
  const recent = (at: string | undefined) => !at || now.getTime() - Date.parse(at) < allowance;
  const [allPositions, allOpen, allBins] = await Promise.all([
    ports.scanner.positions(),
    ports.scanner.openReservations(),
    ports.scanner.bins?.(),
  ]);
  const positions = opts.sku ? allPositions.filter((p) => p.sku === opts.sku) : allPositions;
  const open = opts.sku ? allOpen.filter((r) => r.allocations.some((a) => a.sku === opts.sku)) : allOpen;
  const mismatches: Mismatch[] = [];
  let lagging = 0;
  let movementCount = 0;

  // Open reservations by item: what each item's reserved should add up to.
  const expectedHolds = new Map<string, Map<string, number>>();
  for (const r of open) {
    for (const item of holdsByItem(r.allocations)) {
      const holds = expectedHolds.get(itemId(item)) ?? new Map<string, number>();
      holds.set(r.reservationId, (holds.get(r.reservationId) ?? 0) + item.quantity);
      expectedHolds.set(itemId(item), holds);
    }
  }
  const byReservation = new Map(open.map((r) => [r.reservationId, r]));

  for (const p of positions) {
    const where = { sku: p.sku, locationId: p.locationId, shard: p.shard };
    const flag = (invariant: Mismatch['invariant'], problem: string, evidence: Record<string, unknown>) =>
      mismatches.push({ ...where, invariant, problem, evidence });
    const buckets = bucketsOf(p);

    // 1. never negative; materialized available = formula
    const bad = violations(buckets);
    if (bad.length) flag(1, `negative ${bad.join(', ')}`, { buckets });
    if (p.available !== availableOf(buckets)) {
      flag(1, 'materialized available differs from the formula', {
        available: p.available,
        derived: availableOf(buckets),
      });
    }

    // 2 + 4. the ledger
    const movements = (await ports.ledger.ofItem(where)).filter((m) => m.version <= p.version);
    movementCount += movements.length;
    const regular = movements.filter((m) => m.kind !== 'repair');
    const covered = new Set(movements.flatMap((m) => m.covers ?? []));
    const seen = new Map<number, Movement[]>();
    for (const m of regular) seen.set(m.version, [...(seen.get(m.version) ?? []), m]);
    const missing: number[] = [];
    for (let v = 1; v <= p.version; v++) if (!seen.has(v) && !covered.has(v)) missing.push(v);
    const ledgerCaughtUp = missing.length === 0;
    const stillLagging =
      !ledgerCaughtUp && missing.every((v) => v > Math.max(0, ...seen.keys())) && recent(p.updatedAt);
    if (stillLagging) lagging++;
    else if (!ledgerCaughtUp) {
      flag(4, 'changes without a ledger movement', {
        missingVersions: missing.slice(0, 50),
        version: p.version,
      });
    }
    for (const [version, list] of seen) {
      if (list.length > 1)
        flag(4, 'more than one movement for one change', {
          version,
          movementIds: list.map((m) => m.movementId),
        });
    }
    for (const m of movements) {
      const lacking = (['actor', 'reason', 'occurredAt', 'correlationId', 'idempotencyKey'] as const).filter(
        (f) => !m[f],
      );
      if (lacking.length || m.kind === 'unattributed') {
        flag(4, 'movement without who/why/when/correlation/idempotency', {
          movementId: m.movementId,
          lacking,
          kind: m.kind,
        });
      }
    }
    if (!stillLagging) {
      const totals = ledgerTotals(movements);
      const diff = Object.fromEntries(
        ALL_BUCKETS.filter((b) => totals[b] !== (p[b] ?? 0)).map((b) => [b, (p[b] ?? 0) - totals[b]]),
      );
      if (Object.keys(diff).length) {
        flag(2, 'the ledger does not sum to the position', {
          position: buckets,
          ledger: totals,
          difference: diff,
          movements: movements.length,
          version: p.version,
        });
      }
    }

    // 3. reserved = Σ open records' units on this item. A single-position record and a late
    // duplicate's compensation follow the write through the stream, so the item is judged only
    // once its ledger has caught up and nothing about it is younger than the allowance.
    const expected = expectedHolds.get(itemId(p)) ?? new Map<string, number>();
    const recordSum = [...expected.values()].reduce((s, q) => s + q, 0);
    if (p.reserved !== recordSum) {
      const records = [...expected.keys()].map((rid) => byReservation.get(rid));
      const young = stillLagging || recent(p.updatedAt) || records.some((r) => recent(r?.createdAt));
      if (young) lagging++;
      else {
        flag(3, 'reserved differs from the open reservations on the item', {
          reserved: p.reserved,
          openReservations: Object.fromEntries(expected),
        });
      }
    }
  }
  if (allBins) {
    const bins = opts.sku ? allBins.filter((b) => b.sku === opts.sku) : allBins;
    const found = checkBins(positions, bins, recent);
    mismatches.push(...found.mismatches);
    lagging += found.lagging;
  }
  return {
    checkedAt: now.toISOString(),
    positions: positions.length,
    openReservations: open.length,
    movements: movementCount,
    lagging,
    mismatches,
  };
}

/**
 * Invariant 5. A bin's units and the position's onHand change in one transaction, but a scan reads
 * them at different moments: a sum that differs while one of its items changed within the lag
 * allowance counts as lagging (the next check judges it); a negative bin is always a mismatch.
 */
function checkBins(
  positions: readonly StockPosition[],
  bins: readonly BinStock[],
  recent: (at: string | undefined) => boolean,
): { mismatches: Mismatch[]; lagging: number } {
  const groups = new Map<
    string,
    { sku: string; locationId: string; onHand: number; bins: BinStock[]; at: string[] }
  >();
  const group = (sku: string, locationId: string) => {
    const id = `${sku}\u0000${locationId}`;
    const g = groups.get(id) ?? { sku, locationId, onHand: 0, bins: [], at: [] };
    groups.set(id, g);
    return g;
  };
  for (const p of positions) {
    const g = group(p.sku, p.locationId);
    g.onHand += p.onHand ?? 0;
    g.at.push(p.updatedAt);
  }
  for (const b of bins) {
    const g = group(b.sku, b.locationId);
    g.bins.push(b);
    if (b.updatedAt) g.at.push(b.updatedAt);
  }
  const mismatches: Mismatch[] = [];
  let lagging = 0;
  for (const g of groups.values()) {
    const where = { sku: g.sku, locationId: g.locationId, shard: 0, invariant: 5 as const };
    const byBin = Object.fromEntries(
      g.bins.filter((b) => b.quantity !== 0).map((b) => [b.binId, b.quantity]),
    );
    const negative = g.bins.filter((b) => b.quantity < 0);
    if (negative.length) {
      mismatches.push({ ...where, problem: 'a bin below zero', evidence: { bins: byBin } });
    }
    const sum = g.bins.reduce((s, b) => s + b.quantity, 0);
    if (sum === g.onHand) continue;
    if (g.at.some((at) => recent(at))) {
      lagging++;
      continue;
    }
    mismatches.push({
      ...where,
      problem: 'the bins do not add up to onHand',
      evidence: { onHand: g.onHand, inBins: sum, bins: byBin },
    });
  }
  return { mismatches, lagging };
}

/** One InventoryMismatchDetected per mismatch, with its evidence. */
export function mismatchEvents(report: CheckReport, correlationId: string): DomainEvent[] {
  return report.mismatches.map((m) =>
    createEvent(
      InventoryMismatchDetected,
      { ...m, checkedAt: report.checkedAt },
      { correlationId, now: () => new Date(report.checkedAt) },
    ),
  );
}
