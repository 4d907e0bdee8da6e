import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { dynamoScanner } from '../../functions/inventory/adapters/dynamo-scanner.ts';
import { setSharding } from '../../functions/inventory/core/change-stock.ts';
import { checkInvariants, type InventoryScanner } from '../../functions/inventory/core/check-invariants.ts';
import { closeReservation } from '../../functions/inventory/core/close-reservation.ts';
import { reserveStock } from '../../functions/inventory/core/reserve-stock.ts';
import { adjustStock, moveStock, receiveStock } from '../../functions/inventory/core/stock-commands.ts';
import { readSkuStock } from '../../functions/inventory/core/stock-view.ts';
import type { Reservation } from '../../functions/inventory/schemas/reservation.ts';
import type { MoveBucket, Movement, StockPosition } from '../../functions/inventory/schemas/stock.ts';
import { type InventoryHarness, startInventoryHarness } from '../support/faults.ts';

/**
 * Model-based test of inventory's core against DynamoDB Local (fast-check `fc.commands`).
 * Each run works on fresh SKUs — A and B, S split over two shards, and the kit K = A + 2×B — at
 * two locations, and draws commands at random: adjustments, receipts and status moves (some
 * refused: below zero, off an empty in-transit, a kit, an unknown location), reservations of one
 * or several lines (some asking more than there is), releases and consumptions, exact repeats
 * of earlier requests, an idempotency key reused for another request, and a restart of the
 * stream poller that feeds the ledger. An in-memory model says what each command must do; after
 * every step the positions equal the model, and once the stream has caught up the ledger, the
 * reservation records, the holds and the invariant checker agree with it too.
 */
let h: InventoryHarness;
const ctx = { actor: 'model', correlationId: 'model-test' };
const LOCATIONS = ['WH1', 'WH2'] as const;
type Loc = (typeof LOCATIONS)[number];
/** A location inventory has never heard of: commands there are refused. */
const UNKNOWN_LOCATION = 'WH404';
const PARTS = ['A', 'B', 'S'] as const;
type Part = (typeof PARTS)[number];
type Product = Part | 'K';
const KIT: readonly { part: Part; quantity: number }[] = [
  { part: 'A', quantity: 1 },
  { part: 'B', quantity: 2 },
];

let streamState: string;
beforeAll(async () => {
  // Checkpoints on disk, as the runtime keeps them: a restarted poller resumes where it stopped.
  streamState = await mkdtemp(path.join(tmpdir(), 'qm-model-streams-'));
  h = await startInventoryHarness({ table: 'qm-inventory-model', streams: { stateDir: streamState } });
  for (const loc of LOCATIONS) await h.putLocation(loc);
}, 120_000);
afterAll(async () => {
  await h?.stop();
  if (streamState) await rm(streamState, { recursive: true, force: true });
});

/* ------------------------------------------------------------------------------------------ */
/* The model: what the position of every part × location must be, written independently of    */
/* the product's arithmetic (no bucket below zero, available = onHand − every held bucket).    */
/* ------------------------------------------------------------------------------------------ */

const BUCKETS = [
  'onHand',
  'reserved',
  'damaged',
  'quarantined',
  'returnedPending',
  'safetyStock',
  'inTransit',
] as const;
type Counts = Record<(typeof BUCKETS)[number], number>;
const noStock = (): Counts => Object.fromEntries(BUCKETS.map((b) => [b, 0])) as Counts;
const freeOf = (c: Counts) =>
  c.onHand - c.reserved - c.damaged - c.quarantined - c.returnedPending - c.safetyStock;
const isSound = (c: Counts) => BUCKETS.every((b) => c[b] >= 0) && freeOf(c) >= 0;

type StockRequest = { key: string; part: Product; loc: Loc | typeof UNKNOWN_LOCATION } & (
  | { kind: 'adjust'; delta: number; bucket: 'available' | 'damaged' | 'inTransit' }
  | {
      kind: 'receive';
      quantity: number;
      bucket: 'available' | 'returnedPending' | 'quarantined';
      fromInTransit: boolean;
    }
  | { kind: 'move'; from: MoveBucket; to: MoveBucket; quantity: number }
);
type ReserveLine = { part: Product; loc?: Loc; quantity: number };
type ReserveRequest = { id: string; lines: ReserveLine[] };
type CloseRequest = { id: string; action: 'release' | 'consume' };
type Sent =
  | { t: 'stock'; req: StockRequest }
  | { t: 'reserve'; req: ReserveRequest }
  | { t: 'close'; req: CloseRequest };

/** What a stock request does to the counts of its position. */
function effectOf(req: StockRequest): Partial<Counts> {
  switch (req.kind) {
    case 'adjust':
      if (req.bucket === 'inTransit') return { inTransit: req.delta };
      return req.bucket === 'available' ? { onHand: req.delta } : { onHand: req.delta, damaged: req.delta };
    case 'receive':
      return {
        onHand: req.quantity,
        ...(req.bucket === 'available' ? {} : { [req.bucket]: req.quantity }),
        ...(req.fromInTransit ? { inTransit: -req.quantity } : {}),
      };
    case 'move': {
      const out: Partial<Counts> = {};
      if (req.from !== 'available') out[req.from] = -req.quantity;
      if (req.to !== 'available') out[req.to] = req.quantity;
      return out;
    }
  }
}

const plus = (c: Counts, d: Partial<Counts>): Counts =>
  Object.fromEntries(BUCKETS.map((b) => [b, c[b] + (d[b] ?? 0)])) as Counts;

interface ModelReservation {
  status: 'open' | 'released' | 'consumed';
  /** Units held per `part|loc`. */
  holds: Map<string, number>;
}

class Model {
  readonly positions = new Map<string, Counts>();
  readonly reservations = new Map<string, ModelReservation>();
  /** Every reservation id asked for, granted or not. */
  readonly reservationIds: string[] = [];
  /** Stock command keys → whether the command was applied (a refused key may be applied later). */
  readonly stockKeys = new Map<string, { applied: boolean; movementId?: string; request?: string }>();
  readonly sent: Sent[] = [];
  /** The step re-reserved a closed reservation: the stream gives those units back a moment later. */
  compensating = false;
  private seq = 0;
  constructor(readonly run: number) {}
  sku(p: Product) {
    return `M${this.run}-${p}`;
  }
  partOf(sku: string): Part {
    return sku.slice(sku.lastIndexOf('-') + 1) as Part;
  }
  nextId(prefix: string) {
    return `m${this.run}-${prefix}${this.seq++}`;
  }
  at(part: Part, loc: Loc): Counts {
    return this.positions.get(`${part}|${loc}`) ?? noStock();
  }
  set(part: Part, loc: Loc, c: Counts) {
    this.positions.set(`${part}|${loc}`, c);
  }
  /**
   * Where a reservation's units are held, or undefined when it must be refused. A line without
   * a location goes to the location that covers it with the most to spare (ties: the first id);
   * lines are judged on the stock before the reservation, then summed per position.
   */
  plan(lines: readonly ReserveLine[]): Map<string, number> | undefined {
    const held = new Map<string, number>();
    for (const line of lines) {
      const parts = line.part === 'K' ? KIT : [{ part: line.part, quantity: 1 }];
      const covers = (loc: Loc) =>
        Math.min(...parts.map((p) => Math.floor(Math.max(0, freeOf(this.at(p.part, loc))) / p.quantity)));
      const loc =
        line.loc ??
        [...LOCATIONS]
          .filter((l) => covers(l) >= line.quantity)
          .sort((a, b) => covers(b) - covers(a) || a.localeCompare(b))[0];
      if (!loc || covers(loc) < line.quantity) return undefined;
      for (const p of parts) {
        const k = `${p.part}|${loc}`;
        held.set(k, (held.get(k) ?? 0) + p.quantity * line.quantity);
      }
    }
    for (const [k, q] of held) {
      const [part, loc] = k.split('|') as [Part, Loc];
      if (freeOf(this.at(part, loc)) < q) return undefined;
    }
    return held;
  }
}

interface Real {
  h: InventoryHarness;
}

/* ------------------------------------------------------------------------------------------ */
/* Running requests against the product, each with the outcome the model predicts.             */
/* ------------------------------------------------------------------------------------------ */

type Outcome<T> = { ok: true; value: T } | { ok: false; code: string };
const REFUSALS = new Set([
  'INSUFFICIENT_STOCK',
  'NOT_FOUND',
  'KIT_HAS_NO_STOCK',
  'RESERVATION_CLOSED',
  'IDEMPOTENCY_KEY_REUSED',
]);
/** Answers seen over all runs, so the test notices when the generator stops reaching a case. */
const tally = { applied: 0, repeatsAnswered: 0, refused: new Map<string, number>() };
async function attempt<T>(run: () => Promise<T>): Promise<Outcome<T>> {
  try {
    const value = await run();
    const answer = value as { applied?: boolean; replayed?: boolean };
    if (answer.applied === false || answer.replayed === true) tally.repeatsAnswered++;
    else tally.applied++;
    return { ok: true, value };
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code && REFUSALS.has(code)) {
      tally.refused.set(code, (tally.refused.get(code) ?? 0) + 1);
      return { ok: false, code };
    }
    throw error;
  }
}

function sendStock(m: Model, req: StockRequest) {
  const common = {
    sku: m.sku(req.part),
    locationId: req.loc,
    reason: `model ${req.kind}`,
    idempotencyKey: req.key,
  };
  switch (req.kind) {
    case 'adjust':
      return adjustStock(h.ports, { ...common, delta: req.delta, bucket: req.bucket }, ctx);
    case 'receive':
      return receiveStock(
        h.ports,
        { ...common, quantity: req.quantity, bucket: req.bucket, fromInTransit: req.fromInTransit },
        ctx,
      );
    case 'move':
      return moveStock(h.ports, { ...common, from: req.from, to: req.to, quantity: req.quantity }, ctx);
  }
}

async function runStock(m: Model, req: StockRequest): Promise<void> {
  const before = m.stockKeys.get(req.key);
  const out = await attempt(() => sendStock(m, req));
  const label = `${req.kind} ${req.key}`;
  if (before?.applied) {
    // Applied before: a repeat answers the first outcome, a different request under its key is refused.
    if (before.request === JSON.stringify(req)) {
      expect(out, label).toMatchObject({ ok: true, value: { applied: false } });
      if (out.ok) expect(out.value.movement.movementId, label).toBe(before.movementId);
    } else {
      expect(out, label).toEqual({ ok: false, code: 'IDEMPOTENCY_KEY_REUSED' });
    }
    return;
  }
  if (req.part === 'K') return void expect(out, label).toEqual({ ok: false, code: 'KIT_HAS_NO_STOCK' });
  if (req.loc === UNKNOWN_LOCATION) return void expect(out, label).toEqual({ ok: false, code: 'NOT_FOUND' });
  const after = plus(m.at(req.part, req.loc), effectOf(req));
  if (!isSound(after)) {
    expect(out, label).toEqual({ ok: false, code: 'INSUFFICIENT_STOCK' });
    m.stockKeys.set(req.key, { applied: false });
    return;
  }
  expect(out, label).toMatchObject({ ok: true, value: { applied: true } });
  if (!out.ok) return;
  m.set(req.part, req.loc, after);
  m.stockKeys.set(req.key, {
    applied: true,
    movementId: out.value.movement.movementId,
    request: JSON.stringify(req),
  });
}

const heldBy = (m: Model, r: Pick<Reservation, 'allocations'>) => {
  const out = new Map<string, number>();
  for (const a of r.allocations) {
    const k = `${m.partOf(a.sku)}|${a.locationId}`;
    out.set(k, (out.get(k) ?? 0) + a.quantity);
  }
  return out;
};

async function runReserve(m: Model, req: ReserveRequest): Promise<void> {
  const known = m.reservations.get(req.id);
  const lines = req.lines.map((l) => ({
    sku: m.sku(l.part),
    quantity: l.quantity,
    ...(l.loc ? { locationId: l.loc } : {}),
  }));
  const out = await attempt(() => reserveStock(h.ports, { reservationId: req.id, lines }, ctx));
  const label = `reserve ${req.id}`;
  if (known?.status === 'open') {
    expect(out.ok, label).toBe(true);
    if (!out.ok) return;
    // A repeat of an open reservation answers it again and holds nothing more — also for the
    // sharded SKU when the first attempt was spread over shards other than its home shard.
    expect(out.value.replayed, label).toBe(true);
    expect(heldBy(m, out.value.reservation), label).toEqual(known.holds);
    return;
  }
  if (known) {
    // A late repeat of a closed reservation gets its first outcome, never a refusal
    // (docs/decisions.md, 2026-11-22): the closed record, or — when the hot write found stock
    // again — a new hold that the stream gives back a moment later. Nothing else changes.
    expect(out.ok, label).toBe(true);
    if (out.ok && out.value.replayed) {
      expect(out.value.reservation.status, label).toBe(known.status);
      expect(heldBy(m, out.value.reservation), label).toEqual(known.holds);
    } else {
      m.compensating = true;
    }
    return;
  }
  const holds = m.plan(req.lines);
  if (!holds) {
    expect(out, label).toEqual({ ok: false, code: 'INSUFFICIENT_STOCK' });
    return;
  }
  expect(out, label).toMatchObject({ ok: true, value: { replayed: false, reservation: { status: 'open' } } });
  if (!out.ok) return;
  expect(heldBy(m, out.value.reservation), label).toEqual(holds);
  for (const [k, q] of holds) {
    const [part, loc] = k.split('|') as [Part, Loc];
    m.set(part, loc, plus(m.at(part, loc), { reserved: q }));
  }
  m.reservations.set(req.id, { status: 'open', holds });
}

async function runClose(m: Model, req: CloseRequest): Promise<void> {
  const known = m.reservations.get(req.id);
  const out = await attempt(() =>
    closeReservation(h.ports, req.id, req.action, ctx, { waitForRecordMs: 200 }),
  );
  const label = `${req.action} ${req.id}`;
  const closedAs = req.action === 'consume' ? 'consumed' : 'released';
  if (!known) return void expect(out, label).toEqual({ ok: false, code: 'NOT_FOUND' });
  if (known.status === closedAs) {
    return void expect(out, label).toMatchObject({ ok: true, value: { applied: false } });
  }
  if (known.status !== 'open') {
    return void expect(out, label).toEqual({ ok: false, code: 'RESERVATION_CLOSED' });
  }
  expect(out, label).toMatchObject({ ok: true, value: { applied: true, reservation: { status: closedAs } } });
  for (const [k, q] of known.holds) {
    const [part, loc] = k.split('|') as [Part, Loc];
    m.set(part, loc, plus(m.at(part, loc), { reserved: -q, onHand: req.action === 'consume' ? -q : 0 }));
  }
  known.status = closedAs;
}

function resend(m: Model, sent: Sent): Promise<void> {
  if (sent.t === 'stock') return runStock(m, sent.req);
  if (sent.t === 'reserve') return runReserve(m, sent.req);
  return runClose(m, sent.req);
}

/* ------------------------------------------------------------------------------------------ */
/* Checks after every step.                                                                     */
/* ------------------------------------------------------------------------------------------ */

async function itemsOf(m: Model): Promise<StockPosition[]> {
  const stock = await Promise.all(PARTS.map((p) => readSkuStock(h.ports.positions, m.sku(p))));
  return stock.flatMap((s) => s.locations.flatMap((l) => l.items));
}

const countsOf = (items: readonly Partial<Counts>[]) => {
  const total = noStock();
  for (const i of items) for (const b of BUCKETS) total[b] += i[b] ?? 0;
  return total;
};

/** Positions equal the model; no item has a bucket below zero. */
function expectPositions(m: Model, items: readonly StockPosition[], label: string) {
  for (const part of PARTS) {
    for (const loc of LOCATIONS) {
      const here = items.filter((i) => i.sku === m.sku(part) && i.locationId === loc);
      expect(countsOf(here), `${part}@${loc} ${label}`).toEqual(m.at(part, loc));
    }
  }
  for (const item of items) {
    const where = `${item.sku}@${item.locationId}#${item.shard} ${label}`;
    for (const b of BUCKETS) expect(item[b] ?? 0, `${where} ${b}`).toBeGreaterThanOrEqual(0);
    expect(item.available, where).toBe(freeOf(countsOf([item])));
    expect(item.available, where).toBeGreaterThanOrEqual(0);
  }
}

/** Only this run's SKUs and reservations, so a check does not scan every earlier run. */
function runScanner(m: Model): InventoryScanner {
  return {
    positions: () => itemsOf(m),
    async openReservations() {
      const found = await Promise.all(m.reservationIds.map((id) => h.ports.reservations.get(id)));
      return found.filter((r): r is Reservation => r?.status === 'open');
    },
  };
}

/** Once the stream has caught up: the ledger, the records and the holds agree with the model. */
async function expectSettled(m: Model, label: string) {
  const items = await itemsOf(m);
  expectPositions(m, items, label);
  const movements: Movement[] = (
    await Promise.all(
      items.map((i) => h.ports.ledger.ofItem({ sku: i.sku, locationId: i.locationId, shard: i.shard })),
    )
  ).flat();

  // Each change of an item (version 1..n) has exactly one movement; the ledger sums to the position.
  for (const item of items) {
    const own = movements.filter(
      (x) => x.sku === item.sku && x.locationId === item.locationId && x.shard === item.shard,
    );
    expect(
      own.map((x) => x.version),
      `${item.sku}@${item.locationId}#${item.shard} ledger ${label}`,
    ).toEqual(Array.from({ length: item.version }, (_, i) => i + 1));
  }
  for (const part of PARTS) {
    for (const loc of LOCATIONS) {
      const own = movements.filter((x) => x.sku === m.sku(part) && x.locationId === loc);
      expect(countsOf(own.map((x) => x.deltas)), `${part}@${loc} ledger sum ${label}`).toEqual(
        m.at(part, loc),
      );
    }
  }
  // An applied command has exactly one movement; a refused one has none.
  for (const [key, { applied }] of m.stockKeys) {
    expect(movements.filter((x) => x.idempotencyKey === key).length, `movements of ${key} ${label}`).toBe(
      applied ? 1 : 0,
    );
  }

  // Reservation records, holds on the items and the ledger of each reservation.
  const openHolds = new Map<string, Map<string, number>>();
  for (const id of m.reservationIds) {
    const want = m.reservations.get(id);
    const record = await h.ports.reservations.get(id);
    const own = movements.filter((x) => x.reservationId === id);
    if (!want) {
      expect(record, `record of refused ${id} ${label}`).toBeUndefined();
      expect(own, `movements of refused ${id} ${label}`).toEqual([]);
      continue;
    }
    expect(record?.status, `record of ${id} ${label}`).toBe(want.status);
    if (record) expect(heldBy(m, record), `allocations of ${id} ${label}`).toEqual(want.holds);
    for (const [k, q] of want.holds) {
      const [part, loc] = k.split('|') as [Part, Loc];
      const here = own.filter((x) => x.sku === m.sku(part) && x.locationId === loc);
      const sum = countsOf(here.map((x) => x.deltas));
      expect(sum.reserved, `net reserved of ${id} at ${k} ${label}`).toBe(want.status === 'open' ? q : 0);
      expect(sum.onHand, `net onHand of ${id} at ${k} ${label}`).toBe(want.status === 'consumed' ? -q : 0);
    }
    if (want.status === 'open') openHolds.set(id, want.holds);
  }
  // The items carry no hold ids (docs/decisions.md, 2026-12-05): each item's reserved is the sum
  // of the open records' units on it, and those records are exactly the model's open holds.
  const openRecords = [
    ...new Map((await runScanner(m).openReservations()).map((r) => [r.reservationId, r])).values(),
  ];
  expect(new Map(openRecords.map((r) => [r.reservationId, heldBy(m, r)])), `open records ${label}`).toEqual(
    openHolds,
  );
  for (const item of items) {
    const onItem = openRecords
      .flatMap((r) => r.allocations)
      .filter((a) => a.sku === item.sku && a.locationId === item.locationId && a.shard === item.shard)
      .reduce((s, a) => s + a.quantity, 0);
    expect(item.reserved, `reserved on ${item.sku}@${item.locationId}#${item.shard} ${label}`).toBe(onItem);
  }

  const report = await checkInvariants(
    { scanner: runScanner(m), ledger: h.ports.ledger, clock: () => new Date() },
    { lagAllowanceMs: 0 },
  );
  expect(report.mismatches, `invariant checker ${label}`).toEqual([]);
  expect(report.lagging, `invariant checker ${label}`).toBe(0);
}

const eventually = (check: () => Promise<void>) => vi.waitFor(check, { timeout: 15_000, interval: 40 });

async function verify(m: Model, label: string) {
  if (m.compensating) {
    await eventually(async () => expectPositions(m, await itemsOf(m), label));
    m.compensating = false;
  } else {
    // Positions are read consistently: they match the model at once, before the stream runs.
    expectPositions(m, await itemsOf(m), label);
  }
  await eventually(() => expectSettled(m, label));
}

/* ------------------------------------------------------------------------------------------ */
/* Commands.                                                                                    */
/* ------------------------------------------------------------------------------------------ */

type Cmd = fc.AsyncCommand<Model, Real>;
const pickFrom = <T>(list: readonly T[], pick: number): T | undefined =>
  list[pick % Math.max(1, list.length)];

class StockCmd implements Cmd {
  constructor(readonly req: Omit<StockRequest, 'key'>) {}
  check = () => true;
  async run(m: Model) {
    const req = { ...this.req, key: m.nextId('cmd') } as StockRequest;
    m.sent.push({ t: 'stock', req });
    await runStock(m, req);
    await verify(m, this.toString());
  }
  toString() {
    return `${this.req.kind}(${JSON.stringify(this.req)})`;
  }
}

class ReserveCmd implements Cmd {
  constructor(readonly lines: ReserveLine[]) {}
  check = () => true;
  async run(m: Model) {
    const req = { id: m.nextId('res'), lines: this.lines };
    m.reservationIds.push(req.id);
    m.sent.push({ t: 'reserve', req });
    await runReserve(m, req);
    await verify(m, this.toString());
  }
  toString() {
    return `reserve(${JSON.stringify(this.lines)})`;
  }
}

class CloseCmd implements Cmd {
  constructor(
    readonly action: 'release' | 'consume',
    readonly pick: number,
  ) {}
  check = () => true;
  async run(m: Model) {
    // Granted reservations first: closing those is what matters; refused ids must answer 404.
    const granted = m.reservationIds.filter((id) => m.reservations.has(id));
    const id = pickFrom(granted.length && this.pick % 5 ? granted : m.reservationIds, this.pick);
    if (!id) return;
    const req = { id, action: this.action };
    m.sent.push({ t: 'close', req });
    await runClose(m, req);
    await verify(m, this.toString());
  }
  toString() {
    return `${this.action}(#${this.pick})`;
  }
}

/** An earlier request delivered again, exactly (same key, same reservation id). */
class RepeatCmd implements Cmd {
  constructor(readonly pick: number) {}
  check = () => true;
  async run(m: Model) {
    const sent = pickFrom(m.sent, this.pick);
    if (!sent) return;
    await resend(m, sent);
    await verify(m, `${this.toString()} of ${JSON.stringify(sent)}`);
  }
  toString() {
    return `repeat(#${this.pick})`;
  }
}

/** An earlier stock command's key sent with another quantity: refused if the key was applied. */
class ReuseKeyCmd implements Cmd {
  constructor(readonly pick: number) {}
  check = () => true;
  async run(m: Model) {
    const stock = m.sent.flatMap((s) => (s.t === 'stock' ? [s.req] : []));
    const earlier = pickFrom(stock, this.pick);
    if (!earlier) return;
    const req: StockRequest =
      earlier.kind === 'adjust'
        ? { ...earlier, delta: earlier.delta + (earlier.delta > 0 ? 1 : -1) }
        : { ...earlier, quantity: earlier.quantity + 1 };
    m.sent.push({ t: 'stock', req });
    await runStock(m, req);
    await verify(m, `${this.toString()} as ${JSON.stringify(req)}`);
  }
  toString() {
    return `reuseKey(#${this.pick})`;
  }
}

/**
 * The stream poller feeding the ledger stops and a new one starts (a redeploy): a receipt made
 * just before the stop (the consumer may not have read it yet) and one made while no poller runs
 * must both reach the ledger, once — the new poller resumes after its checkpoint.
 */
class RestartStreamsCmd implements Cmd {
  constructor(
    readonly before: Part,
    readonly during: Part,
  ) {}
  check = () => true;
  async run(m: Model) {
    const receipt = (part: Part): StockRequest => ({
      key: m.nextId('cmd'),
      part,
      loc: 'WH1',
      kind: 'receive',
      quantity: 1,
      bucket: 'available',
      fromInTransit: false,
    });
    const justBefore = receipt(this.before);
    const whileDown = receipt(this.during);
    m.sent.push({ t: 'stock', req: justBefore }, { t: 'stock', req: whileDown });
    await runStock(m, justBefore);
    await h.restartStreams(() => runStock(m, whileDown));
    await verify(m, this.toString());
  }
  toString() {
    return `restartStreams(${this.before}, ${this.during})`;
  }
}

const part = fc.constantFrom<Part>(...PARTS);
const loc = fc.constantFrom<Loc>(...LOCATIONS);
const moveBucket = fc.constantFrom<MoveBucket>(
  'available',
  'damaged',
  'quarantined',
  'returnedPending',
  'safetyStock',
);
/** Mostly real positions; now and then a kit or a location that does not exist (refused). */
const target = fc.oneof(
  {
    weight: 12,
    arbitrary: fc.record({ part: part as fc.Arbitrary<Product>, loc: loc as fc.Arbitrary<Loc | 'WH404'> }),
  },
  { weight: 1, arbitrary: fc.record({ part: fc.constant<Product>('K'), loc }) },
  { weight: 1, arbitrary: fc.record({ part, loc: fc.constant(UNKNOWN_LOCATION) }) },
);

/** fc.commands draws its arbitraries uniformly: a command listed n times is drawn n times as often. */
const times = <T>(n: number, arb: fc.Arbitrary<T>) => Array.from({ length: n }, () => arb);

const commands = [
  fc
    .record({
      where: target,
      delta: fc.integer({ min: -8, max: 10 }).filter((d) => d !== 0),
      bucket: fc.constantFrom(
        'available' as const,
        'available' as const,
        'damaged' as const,
        'inTransit' as const,
      ),
    })
    .map(({ where, ...r }) => new StockCmd({ kind: 'adjust', ...where, ...r })),
  fc
    .record({
      where: target,
      quantity: fc.integer({ min: 1, max: 12 }),
      bucket: fc.constantFrom('available' as const, 'returnedPending' as const, 'quarantined' as const),
      fromInTransit: fc.boolean(),
    })
    .map(({ where, ...r }) => new StockCmd({ kind: 'receive', ...where, ...r })),
  fc
    .record({ where: target, from: moveBucket, to: moveBucket, quantity: fc.integer({ min: 1, max: 5 }) })
    .filter((r) => r.from !== r.to)
    .map(({ where, ...r }) => new StockCmd({ kind: 'move', ...where, ...r })),
  ...times(
    2,
    fc
      .array(
        fc.record(
          {
            part: fc.constantFrom<Product>('A', 'B', 'S', 'K'),
            loc,
            quantity: fc.integer({ min: 1, max: 7 }),
          },
          { requiredKeys: ['part', 'quantity'] },
        ),
        { minLength: 1, maxLength: 3 },
      )
      .map((lines) => new ReserveCmd(lines)),
  ),
  ...times(
    2,
    fc
      .record({ action: fc.constantFrom('release' as const, 'consume' as const), pick: fc.nat() })
      .map(({ action, pick }) => new CloseCmd(action, pick)),
  ),
  ...times(
    2,
    fc.nat().map((pick) => new RepeatCmd(pick)),
  ),
  fc.nat().map((pick) => new ReuseKeyCmd(pick)),
  fc.tuple(part, part).map(([before, during]) => new RestartStreamsCmd(before, during)),
];

let runs = 0;
/**
 * A fixed seed by default, so CI replays the same sequences and the coverage floors below hold
 * (a random seed sometimes drew too few repeats). `QM_MODEL_SEED=<n>` explores other sequences.
 */
const MODEL_SEED = Number(process.env.QM_MODEL_SEED ?? 20261204);

describe('inventory against a model, command by command', () => {
  it('matches the model after every command and keeps the ledger, holds and checker in step', async () => {
    await fc.assert(
      fc.asyncProperty(fc.commands(commands, { maxCommands: 20, size: 'max' }), async (cmds) => {
        const setup = async () => {
          const model = new Model(runs++);
          for (const p of PARTS) await h.putSku(model.sku(p));
          await h.putSku(model.sku('K'), {
            kit: { components: KIT.map((c) => ({ sku: model.sku(c.part), quantity: c.quantity })) },
          });
          await setSharding(h.ports, model.sku('S'), 2, ctx);
          // Opening stock, so reservations, closes and their repeats have something to work on.
          for (const p of PARTS) {
            for (const l of LOCATIONS) {
              const req: StockRequest = {
                key: model.nextId('open'),
                part: p,
                loc: l,
                kind: 'adjust',
                delta: 8,
                bucket: 'available',
              };
              await runStock(model, req);
            }
          }
          await verify(model, 'opening stock');
          return { model, real: { h } };
        };
        await fc.asyncModelRun(setup, cmds);
      }),
      { numRuns: 16, endOnFailure: true, seed: MODEL_SEED },
    );
    // Each run applied, refused and answered repeats (about 150 steps in all).
    expect(tally.applied).toBeGreaterThan(50);
    expect(tally.repeatsAnswered).toBeGreaterThan(5);
    expect(tally.refused.get('INSUFFICIENT_STOCK') ?? 0).toBeGreaterThan(10);
    // The product's own scanner, over every run: the whole table is clean.
    const report = await checkInvariants(
      {
        scanner: dynamoScanner({ db: h.db, table: h.table }),
        ledger: h.ports.ledger,
        clock: () => new Date(),
      },
      { lagAllowanceMs: 0 },
    );
    expect(report.mismatches).toEqual([]);
    expect(report.positions).toBeGreaterThan(0);
  }, 240_000);
});

describe('a retried reservation after its stock is gone', () => {
  it('answers the reservation made the first time, not INSUFFICIENT_STOCK (found by the model test)', async () => {
    const m = new Model(runs++);
    await h.putSku(m.sku('A'));
    for (const l of LOCATIONS) {
      await adjustStock(
        h.ports,
        { sku: m.sku('A'), locationId: l, delta: 8, reason: 'opening', idempotencyKey: `${m.sku('A')}-${l}` },
        ctx,
      );
    }
    // A line without a location goes where most is free; together the lines take most of both.
    const request = {
      reservationId: m.nextId('res'),
      lines: [
        { sku: m.sku('A'), quantity: 6 },
        { sku: m.sku('A'), locationId: 'WH2', quantity: 4 },
      ],
    };
    const first = await reserveStock(h.ports, request, ctx);
    expect(first.replayed).toBe(false);

    const retry = await reserveStock(h.ports, request, ctx);

    expect(retry.replayed).toBe(true);
    expect(retry.reservation).toMatchObject({ reservationId: request.reservationId, status: 'open' });
    const stock = await readSkuStock(h.ports.positions, m.sku('A'));
    expect(stock.locations.map((l) => [l.locationId, l.buckets.reserved])).toEqual([
      ['WH1', 6],
      ['WH2', 4],
    ]);
  });
});
