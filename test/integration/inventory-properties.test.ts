import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamoScanner } from '../../functions/inventory/adapters/dynamo-scanner.ts';
import { chooseLocation, kitAvailability } from '../../functions/inventory/core/allocation.ts';
import { setSharding } from '../../functions/inventory/core/change-stock.ts';
import { checkInvariants } from '../../functions/inventory/core/check-invariants.ts';
import { closeReservation } from '../../functions/inventory/core/close-reservation.ts';
import { reserveStock } from '../../functions/inventory/core/reserve-stock.ts';
import { adjustStock, moveStock, receiveStock } from '../../functions/inventory/core/stock-commands.ts';
import { availableOf, ZERO_BUCKETS } from '../../functions/inventory/core/stock-position.ts';
import { readSkuStock } from '../../functions/inventory/core/stock-view.ts';
import type { Buckets, MoveBucket } from '../../functions/inventory/schemas/stock.ts';
import { type InventoryHarness, startInventoryHarness } from '../support/faults.ts';

/**
 * Random interleavings of receive, reserve, release, consume, move-bucket and adjust — with
 * duplicates of earlier commands and injected conflicts, throttles and lost replies — against
 * DynamoDB Local. After every step (once the stream has caught up) the invariant checker finds
 * nothing and every position equals a simple model of what the successful commands did.
 */
let h: InventoryHarness;
const LOCATIONS = ['WH1', 'WH2'] as const;
const PLAIN = ['A', 'B', 'S'] as const;
const KIT = {
  sku: 'K',
  components: [
    { sku: 'A', quantity: 1 },
    { sku: 'B', quantity: 2 },
  ],
};

beforeAll(async () => {
  h = await startInventoryHarness({
    faults: { seed: 20260101, conflict: 0.05, throttle: 0.05, lostReply: 0.15 },
  });
  for (const loc of LOCATIONS) await h.putLocation(loc);
  for (const sku of PLAIN) await h.putSku(sku);
  await h.putSku(KIT.sku, { kit: { components: KIT.components } });
  await setSharding(h.ports, 'S', 3, { actor: 'setup', correlationId: 'setup' });
}, 120_000);
afterAll(() => h?.stop());

type Sku = (typeof PLAIN)[number];
type Loc = (typeof LOCATIONS)[number];
type Line = { sku: Sku | 'K'; locationId?: Loc; quantity: number };
type Command =
  | { t: 'receive'; sku: Sku; loc: Loc; qty: number; bucket: 'available' | 'returnedPending' | 'quarantined' }
  | { t: 'adjust'; sku: Sku; loc: Loc; delta: number }
  | { t: 'move'; sku: Sku; loc: Loc; from: MoveBucket; to: MoveBucket; qty: number }
  | { t: 'reserve'; lines: Line[] }
  | { t: 'release' | 'consume'; pick: number }
  | { t: 'dup' | 'retryReserve'; pick: number };

const sku = fc.constantFrom(...PLAIN);
const loc = fc.constantFrom(...LOCATIONS);
const moveBucket = fc.constantFrom<MoveBucket>(
  'available',
  'damaged',
  'quarantined',
  'returnedPending',
  'safetyStock',
);
const command: fc.Arbitrary<Command> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      t: fc.constant('receive' as const),
      sku,
      loc,
      qty: fc.integer({ min: 1, max: 12 }),
      bucket: fc.constantFrom('available' as const, 'returnedPending' as const, 'quarantined' as const),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      t: fc.constant('adjust' as const),
      sku,
      loc,
      delta: fc.integer({ min: -6, max: 6 }).filter((d) => d !== 0),
    }),
  },
  {
    weight: 2,
    arbitrary: fc
      .record({
        t: fc.constant('move' as const),
        sku,
        loc,
        from: moveBucket,
        to: moveBucket,
        qty: fc.integer({ min: 1, max: 4 }),
      })
      .filter((m) => m.from !== m.to),
  },
  {
    weight: 5,
    arbitrary: fc.record({
      t: fc.constant('reserve' as const),
      lines: fc.array(
        fc.record(
          {
            sku: fc.constantFrom<Sku | 'K'>('A', 'B', 'S', 'K'),
            locationId: loc,
            quantity: fc.integer({ min: 1, max: 3 }),
          },
          { requiredKeys: ['sku', 'quantity'] },
        ),
        { minLength: 1, maxLength: 2 },
      ),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ t: fc.constantFrom('release' as const, 'consume' as const), pick: fc.nat() }),
  },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('dup' as const), pick: fc.nat() }) },
  // A client retrying one of its reservations (before or after it was released or consumed).
  { weight: 3, arbitrary: fc.record({ t: fc.constant('retryReserve' as const), pick: fc.nat() }) },
);

/** What the successful commands did, position by position (shards summed). */
class Model {
  readonly positions = new Map<string, Buckets>();
  readonly reservations = new Map<string, { status: string; holds: Map<string, number> }>();
  at(s: string, l: string): Buckets {
    const key = `${s}|${l}`;
    let p = this.positions.get(key);
    if (!p) {
      p = { ...ZERO_BUCKETS };
      this.positions.set(key, p);
    }
    return p;
  }
  available(s: string, l: string) {
    return availableOf(this.at(s, l));
  }
}

interface Issued {
  cmd: Command;
  key: string;
  outcome?: string;
}

const ctx = { actor: 'property', correlationId: 'prop' };
const DOMAIN_CODES = new Set([
  'INSUFFICIENT_STOCK',
  'NOT_FOUND',
  'RESERVATION_CLOSED',
  'IDEMPOTENCY_KEY_REUSED',
]);

/** Runs a command like a client would: retried after an unexpected failure until it answers. */
async function execute(issued: Issued, history: Issued[]): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await executeOnce(issued, history);
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code && DOMAIN_CODES.has(code)) return code;
      if (attempt >= 5) throw error;
    }
  }
}

async function executeOnce({ cmd, key }: Issued, history: Issued[]): Promise<string> {
  switch (cmd.t) {
    case 'receive':
      await receiveStock(
        h.ports,
        {
          sku: cmd.sku,
          locationId: cmd.loc,
          quantity: cmd.qty,
          bucket: cmd.bucket,
          reason: 'prop receive',
          idempotencyKey: key,
        },
        ctx,
      );
      return 'ok';
    case 'adjust':
      await adjustStock(
        h.ports,
        { sku: cmd.sku, locationId: cmd.loc, delta: cmd.delta, reason: 'prop adjust', idempotencyKey: key },
        ctx,
      );
      return 'ok';
    case 'move':
      await moveStock(
        h.ports,
        {
          sku: cmd.sku,
          locationId: cmd.loc,
          from: cmd.from,
          to: cmd.to,
          quantity: cmd.qty,
          reason: 'prop move',
          idempotencyKey: key,
        },
        ctx,
      );
      return 'ok';
    case 'reserve':
      await reserveStock(h.ports, { reservationId: key, lines: cmd.lines }, ctx);
      return 'ok';
    case 'release':
    case 'consume': {
      const target = reservationsIn(history)[cmd.pick % Math.max(1, reservationsIn(history).length)];
      if (!target) return 'NOT_FOUND';
      await closeReservation(h.ports, target.key, cmd.t, ctx, { waitForRecordMs: 300 });
      return 'ok';
    }
    case 'dup':
    case 'retryReserve':
      throw new Error('repeats are resolved before execution');
  }
}

/** Reservations issued so far, the ones that were granted first (closing or retrying those matters most). */
const reservationsIn = (history: Issued[]) => {
  const all = history.filter((i) => i.cmd.t === 'reserve');
  const granted = all.filter((i) => i.outcome === 'ok');
  return granted.length ? granted : all;
};

/** Applies a command to the model as the system must: all or nothing, idempotent by key. */
function predict(model: Model, { cmd, key }: Issued, history: Issued[], applied: Set<string>): void {
  switch (cmd.t) {
    case 'receive': {
      if (applied.has(key)) return;
      const p = model.at(cmd.sku, cmd.loc);
      p.onHand += cmd.qty;
      if (cmd.bucket !== 'available') p[cmd.bucket] += cmd.qty;
      applied.add(key);
      return;
    }
    case 'adjust': {
      if (applied.has(key)) return;
      if (cmd.delta < 0 && model.available(cmd.sku, cmd.loc) < -cmd.delta) return;
      model.at(cmd.sku, cmd.loc).onHand += cmd.delta;
      applied.add(key);
      return;
    }
    case 'move': {
      if (applied.has(key)) return;
      const p = model.at(cmd.sku, cmd.loc);
      const have = cmd.from === 'available' ? availableOf(p) : p[cmd.from];
      if (have < cmd.qty) return;
      if (cmd.from !== 'available') p[cmd.from] -= cmd.qty;
      if (cmd.to !== 'available') p[cmd.to] += cmd.qty;
      applied.add(key);
      return;
    }
    case 'reserve': {
      if (model.reservations.has(key)) return; // first outcome stands
      const parts: { sku: string; loc: string; qty: number }[] = [];
      for (const line of cmd.lines) {
        const components = line.sku === 'K' ? KIT.components : [{ sku: line.sku, quantity: 1 }];
        const availableAt = (l: string) => kitAvailability(components, (s) => model.available(s, l));
        const where =
          line.locationId ??
          chooseLocation(
            LOCATIONS.map((l) => ({ locationId: l, available: availableAt(l) })),
            line.quantity,
          );
        if (!where || availableAt(where) < line.quantity) return;
        for (const c of components) parts.push({ sku: c.sku, loc: where, qty: c.quantity * line.quantity });
      }
      const sums = new Map<string, number>();
      for (const p of parts) sums.set(`${p.sku}|${p.loc}`, (sums.get(`${p.sku}|${p.loc}`) ?? 0) + p.qty);
      for (const [k, q] of sums) {
        const [s, l] = k.split('|') as [string, string];
        if (model.available(s, l) < q) return;
      }
      for (const [k, q] of sums) {
        const [s, l] = k.split('|') as [string, string];
        model.at(s, l).reserved += q;
      }
      model.reservations.set(key, { status: 'open', holds: sums });
      return;
    }
    case 'release':
    case 'consume': {
      const target = reservationsIn(history)[cmd.pick % Math.max(1, reservationsIn(history).length)];
      const r = target && model.reservations.get(target.key);
      if (r?.status !== 'open' || !r) return;
      for (const [k, q] of r.holds) {
        const [s, l] = k.split('|') as [string, string];
        const p = model.at(s, l);
        p.reserved -= q;
        if (cmd.t === 'consume') p.onHand -= q;
      }
      r.status = cmd.t === 'consume' ? 'consumed' : 'released';
      return;
    }
    case 'dup':
    case 'retryReserve':
      return;
  }
}

async function actualPositions(): Promise<Map<string, Buckets>> {
  const out = new Map<string, Buckets>();
  for (const s of PLAIN) {
    const stock = await readSkuStock(h.ports.positions, s);
    for (const l of stock.locations) {
      const { available: _a, ...b } = l.buckets;
      out.set(`${s}|${l.locationId}`, b);
    }
  }
  return out;
}

let runs = 0;

describe('inventory invariants under random interleavings with faults', () => {
  it('holds the four invariants and matches the model after every step', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 6, maxLength: 16 }), async (commands) => {
        // Each run works on its own SKUs' history through keys; positions carry over (the model too).
        const run = runs++;
        const history: Issued[] = [];
        // Every run starts with stock to sell, so reservations, closes and their retries interleave.
        for (const s of PLAIN) {
          for (const l of LOCATIONS) {
            const restock: Issued = {
              cmd: { t: 'receive', sku: s, loc: l, qty: 6, bucket: 'available' },
              key: `run${run}-restock-${s}-${l}`,
            };
            await execute(restock, history);
            predict(model, restock, history, applied);
          }
        }
        for (const [step, raw] of commands.entries()) {
          // A retry of a reservation, preferably one already closed (the late-duplicate case).
          const closed = reservationsIn(history).filter((i) =>
            ['released', 'consumed'].includes(model.reservations.get(i.key)?.status ?? ''),
          );
          const earlier =
            raw.t === 'retryReserve' ? (closed.length ? closed : reservationsIn(history)) : history;
          const issued: Issued =
            (raw.t === 'dup' || raw.t === 'retryReserve') && earlier.length > 0
              ? (earlier[raw.pick % earlier.length] as Issued)
              : {
                  cmd:
                    raw.t === 'dup' || raw.t === 'retryReserve'
                      ? { t: 'adjust', sku: 'A', loc: 'WH1', delta: 1 }
                      : raw,
                  key: `run${run}-step${step}`,
                };
          const outcome = await execute(issued, history);
          predict(model, issued, history, applied);
          if (issued.key === `run${run}-step${step}`) history.push({ ...issued, outcome });

          await h.settle();
          const actual = await actualPositions();
          for (const [k, expected] of model.positions) {
            expect(actual.get(k) ?? { ...ZERO_BUCKETS }, `${k} after step ${step} (${issued.cmd.t})`).toEqual(
              expected,
            );
          }
          const report = await checkInvariants(
            {
              scanner: dynamoScanner({ db: h.db, table: h.table }),
              ledger: h.ports.ledger,
              clock: () => new Date(),
            },
            { lagAllowanceMs: 0 },
          );
          expect(report.mismatches, `after step ${step} (${issued.cmd.t})`).toEqual([]);
        }
      }),
      { numRuns: 15, seed: 424242, endOnFailure: true },
    );
    expect(h.faults?.injected.lostReply).toBeGreaterThan(0);
    expect(h.faults?.injected.conflict).toBeGreaterThan(0);
    expect(h.faults?.injected.throttle).toBeGreaterThan(0);
  }, 600_000);
});

const model = new Model();
const applied = new Set<string>();
