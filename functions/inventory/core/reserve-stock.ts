import type { Sku } from '#catalog/api';
import { ValidationFailed } from '#shared/errors';
import { InsufficientStock, type Shortage, TooMuchContention, UnknownSku } from '../errors.ts';
import type { Allocation, Reservation, ReserveBody } from '../schemas/reservation.ts';
import type { PositionKey, StockPosition } from '../schemas/stock.ts';
import {
  chooseLocation,
  type Demand,
  distribute,
  explodeKits,
  homeShard,
  kitAvailability,
  sumByPosition,
} from './allocation.ts';
import type { InventoryPorts } from './ports.ts';
import {
  type CommandContext,
  compensationKey,
  reserveOp,
  reserveRetryKey,
  reservingChanges,
  singlePosition,
  singlePositionLines,
  singlePositionReservation,
} from './reservation-records.ts';
import { releaseDeltas, reserveDeltas } from './stock-position.ts';
import { readSkuStock, type SkuStock } from './stock-view.ts';

export interface ReserveResult {
  reservation: Reservation;
  /** True when this reservation id had been reserved before: the answer is the first outcome. */
  replayed: boolean;
}

const MAX_PLAN_ATTEMPTS = 25;
/** A transaction holds at most 100 items: the reservation record, the audit record and 98 position items. */
const MAX_TX_POSITIONS = 98;

/**
 * Reserves stock for every line, all or nothing, idempotent by reservation id.
 * 1. one position (unsharded, or the reservation's home shard): ONE conditional write that
 *    moves the units and reads nothing, recognised by its retry key for the store's retry window
 *    (`PositionStore.reserve`): a retry answers the first outcome (the record, which the stream
 *    writes), a shortage is told by the condition on `available`. The item carries no hold ids,
 *    so its size and write cost do not grow with open reservations (docs/decisions.md, 2026-12-05).
 *    Only when the write is refused or repeated, or when the SKU is sharded, is the record read.
 *    A repeat after the window reserves again and the stream gives the units back.
 * 2. otherwise (several positions, a kit, a sharded SKU whose home shard is short, a line
 *    without a location, substitutes): plan the allocation, sum lines per position item, and
 *    write the record and every position in one TransactWriteItems; re-plan from fresh reads
 *    when a position turned out short, answer INSUFFICIENT_STOCK when the reads show it is.
 */
export async function reserveStock(
  ports: InventoryPorts,
  cmd: ReserveBody,
  ctx: CommandContext,
): Promise<ReserveResult> {
  const now = ports.clock().toISOString();
  const expiresAt = cmd.expiresAt ? new Date(cmd.expiresAt).toISOString() : undefined;
  if (expiresAt && expiresAt <= now) {
    throw new ValidationFailed('expiresAt is in the past', [
      { field: 'expiresAt', message: 'must be in the future' },
    ]);
  }
  const request = { ...cmd, ...(expiresAt ? { expiresAt } : {}) };
  const single = singlePosition(cmd.lines);
  if (single && !cmd.lines.some((l) => l.allowSubstitutes)) {
    const result = await reserveOnePosition(ports, request, single, ctx, now);
    if (result) return result;
  }
  return reserveByPlan(ports, request, ctx, now);
}

async function reserveOnePosition(
  ports: InventoryPorts,
  cmd: ReserveBody,
  line: { sku: string; locationId: string; quantity: number },
  ctx: CommandContext,
  now: string,
): Promise<ReserveResult | undefined> {
  const shards = await ports.positions.shardCount(line.sku);
  const key = {
    sku: line.sku,
    locationId: line.locationId,
    shard: homeShard(cmd.reservationId, line.sku, line.locationId, shards),
  };
  const lines = singlePositionLines(cmd.lines);
  const change = {
    key,
    deltas: reserveDeltas(line.quantity),
    op: reserveOp(cmd.reservationId, ctx, now, 'single', {
      ...(lines.carried ? { lines: lines.carried } : {}),
      ...(cmd.expiresAt ? { expiresAt: cmd.expiresAt } : {}),
    }),
  };
  const retryKey = reserveRetryKey(cmd.reservationId, key, line.quantity);
  let out = await ports.positions.reserve(change, retryKey);
  let repeated = false;
  if (out.status === 'repeat') {
    // Sent before within the retry window, and applied (a refused write leaves no token):
    // its record, which the stream writes, is the first outcome.
    const first = await recordWithin(ports, cmd.reservationId);
    if (first) return { reservation: first, replayed: true };
    // The stream is slow, or the store remembered a refusal after all: send this one under a
    // key of its own. Applied, it is either the only hold or a repeat the stream gives back.
    repeated = true;
    out = await ports.positions.reserve(change, `${retryKey}:${now}`);
  }
  switch (out.status) {
    case 'applied': {
      const reservation = singlePositionReservation({
        reservationId: cmd.reservationId,
        lines: lines.recorded,
        ...(cmd.expiresAt ? { expiresAt: cmd.expiresAt } : {}),
        key,
        at: now,
        ...ctx,
      });
      // Unsharded, the retry key told a retry apart; sharded, a first attempt may have been
      // spread over other shards by a transaction and left nothing on this one.
      if (shards > 1) {
        const earlier = await undoIfReservedBefore(ports, reservation, key, line.quantity, ctx);
        if (earlier) return earlier;
      }
      return { reservation, replayed: false };
    }
    case 'insufficient': {
      // Refused after a repeat: the earlier attempt holds the units; its record is the answer.
      if (repeated) return { reservation: await existingReservation(ports, cmd, ctx, now), replayed: true };
      // Sharded: another shard may have it (and reserveByPlan answers a retry the same way).
      if (shards > 1) return undefined;
      const earlier = await earlierOutcome(ports, cmd.reservationId);
      if (earlier) return earlier;
      throw new InsufficientStock({
        ...line,
        requested: line.quantity,
        available: Math.max(0, out.current.available),
      });
    }
    default:
      return undefined; // no such item: a kit, an unknown SKU, or never stocked here
  }
}

/**
 * A refused reservation may be a late retry of one made earlier and since closed (its hold left
 * the item, so the write could not see it): the record, which is kept after close, is the first
 * outcome (docs/decisions.md, 2026-11-22). Read only on the refusal path, never on the hot path.
 */
async function earlierOutcome(
  ports: InventoryPorts,
  reservationId: string,
): Promise<ReserveResult | undefined> {
  const existing = await ports.reservations.get(reservationId);
  return existing ? { reservation: existing, replayed: true } : undefined;
}

/**
 * After a hot write on a sharded SKU: if this reservation id was made before (a transaction
 * spread it over other shards, or it was closed), its record exists — the transaction wrote it
 * atomically, the stream writes a single-position one before anyone can close it. Then the units
 * just held are given back at once (under the same command key as the stream's own compensation
 * of this write, so only one of them gives them back) and the first outcome is answered. One
 * extra read, paid only by sharded SKUs; the unsharded hot path stays one write.
 */
async function undoIfReservedBefore(
  ports: InventoryPorts,
  attempt: Reservation,
  key: PositionKey,
  quantity: number,
  ctx: CommandContext,
): Promise<ReserveResult | undefined> {
  const existing = await ports.reservations.get(attempt.reservationId);
  if (!existing || isRecordOf(existing, attempt)) return undefined;
  await ports.positions.apply(
    {
      key,
      deltas: releaseDeltas(quantity),
      commandKey: compensationKey(attempt.reservationId, attempt.createdAt),
      op: {
        kind: 'release',
        at: ports.clock().toISOString(),
        actor: ctx.actor,
        reason: 'repeat of an earlier reservation: units held again given back',
        correlationId: ctx.correlationId,
        idempotencyKey: compensationKey(attempt.reservationId, attempt.createdAt),
        reservationId: attempt.reservationId,
      },
    },
    { returnItem: false },
  );
  return { reservation: existing, replayed: true };
}

/** The stream may already have written this very write's record: same time, caller and item. */
const isRecordOf = (record: Reservation, attempt: Reservation) =>
  record.via === 'single' &&
  record.createdAt === attempt.createdAt &&
  record.correlationId === attempt.correlationId &&
  record.allocations.every((a) =>
    attempt.allocations.some((b) => a.sku === b.sku && a.locationId === b.locationId && a.shard === b.shard),
  );

/** A reservation's record, waiting a few seconds for the stream to write a single-position one. */
async function recordWithin(ports: InventoryPorts, reservationId: string): Promise<Reservation | undefined> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const found = await ports.reservations.get(reservationId);
    if (found) return found;
    await new Promise((r) => setTimeout(r, 50 + attempt * 25));
  }
  return undefined;
}

/** The first outcome of a reservation id seen again: its record, or (before the stream wrote it) the request. */
async function existingReservation(
  ports: InventoryPorts,
  cmd: ReserveBody,
  ctx: CommandContext,
  now: string,
): Promise<Reservation> {
  const found = await recordWithin(ports, cmd.reservationId);
  if (found) return found;
  return {
    reservationId: cmd.reservationId,
    status: 'open',
    lines: cmd.lines,
    allocations: [],
    ...(cmd.expiresAt ? { expiresAt: cmd.expiresAt } : {}),
    createdAt: now,
    actor: ctx.actor,
    correlationId: ctx.correlationId,
    via: 'single',
  };
}

async function reserveByPlan(
  ports: InventoryPorts,
  cmd: ReserveBody,
  ctx: CommandContext,
  now: string,
): Promise<ReserveResult> {
  const catalog = await ports.catalog.getMany([...new Set(cmd.lines.map((l) => l.sku))]);
  const unknown = cmd.lines.find((l) => !catalog.has(l.sku));
  if (unknown) throw new UnknownSku(unknown.sku);

  for (let attempt = 1; attempt <= MAX_PLAN_ATTEMPTS; attempt++) {
    let allocations: Allocation[];
    try {
      allocations = await plan(ports, cmd, catalog, attempt > 1);
    } catch (error) {
      // A retry of a reservation made earlier answers its first outcome, even once its stock is gone.
      const earlier =
        error instanceof InsufficientStock ? await earlierOutcome(ports, cmd.reservationId) : undefined;
      if (earlier) return earlier;
      throw error;
    }
    const op = reserveOp(cmd.reservationId, ctx, now, 'tx');
    const changes = reservingChanges(allocations, op);
    if (changes.length > MAX_TX_POSITIONS) {
      throw new ValidationFailed('The reservation touches too many positions', [
        { field: 'lines', message: `at most ${MAX_TX_POSITIONS} position items per reservation` },
      ]);
    }
    const reservation: Reservation = {
      reservationId: cmd.reservationId,
      status: 'open',
      lines: cmd.lines,
      allocations,
      ...(cmd.expiresAt ? { expiresAt: cmd.expiresAt } : {}),
      createdAt: now,
      actor: ctx.actor,
      correlationId: ctx.correlationId,
      via: 'tx',
    };
    const out = await ports.positions.transact(changes, { kind: 'create', reservation });
    if (out.status === 'applied') return { reservation, replayed: false };
    if (out.reservationFailed) {
      return { reservation: await existingReservation(ports, cmd, ctx, now), replayed: !out.ownRetry };
    }
    // A position was short, full or missing when the transaction ran: plan again from fresh reads.
    await new Promise((r) => setTimeout(r, Math.random() * Math.min(200, 5 * 2 ** attempt)));
  }
  throw new TooMuchContention(`Reservation ${cmd.reservationId}`);
}

/**
 * Decides which position items hold which units. Without fresh reads (first attempt) lines with
 * a location go to their home shard; with reads (`informed`) every position's shards are read
 * and the demand is spread over them, and shortages are answered here, before anything is written.
 */
async function plan(
  ports: InventoryPorts,
  cmd: ReserveBody,
  catalog: ReadonlyMap<string, Sku>,
  informed: boolean,
): Promise<Allocation[]> {
  let demands = explodeKits(cmd.lines, catalog);
  const stock = new Map<string, SkuStock>();
  const stockOf = async (sku: string) => {
    let s = stock.get(sku);
    if (!s) {
      s = await readSkuStock(ports.positions, sku);
      stock.set(sku, s);
    }
    return s;
  };
  const availableAt = (s: SkuStock | undefined, locationId: string) =>
    s?.locations.find((l) => l.locationId === locationId)?.buckets.available ?? 0;

  const needsReads = informed ? demands : demands.filter((d) => !d.locationId);
  await Promise.all([...new Set(needsReads.map((d) => d.sku))].map(stockOf));

  const shortages: Shortage[] = [];
  // Lines without a location (and, when informed, short lines that allow substitutes) are placed here.
  const placed: Demand[] = [];
  for (const [lineIndex, line] of cmd.lines.entries()) {
    const parts = demands.filter((d) => d.lineIndex === lineIndex);
    const kit = catalog.get(line.sku)?.kit?.components;
    const canCover = async (sku: string, locationId: string | undefined) => {
      const components = kit && sku === line.sku ? kit : [{ sku, quantity: 1 }];
      await Promise.all(components.map((c) => stockOf(c.sku)));
      const at = (loc: string) => kitAvailability(components, (s) => availableAt(stock.get(s), loc));
      if (locationId) return at(locationId) >= line.quantity ? locationId : undefined;
      const locations = new Set(
        components.flatMap((c) => stock.get(c.sku)?.locations.map((l) => l.locationId) ?? []),
      );
      return chooseLocation(
        [...locations].map((loc) => ({ locationId: loc, available: at(loc) })),
        line.quantity,
      );
    };
    if (line.locationId && !informed) {
      placed.push(...parts);
      continue;
    }
    let where = await canCover(line.sku, line.locationId);
    let sku = line.sku;
    if (!where && line.allowSubstitutes && !kit) {
      for (const sub of catalog.get(line.sku)?.substitutes ?? []) {
        where = await canCover(sub, line.locationId);
        if (where) {
          sku = sub;
          break;
        }
      }
    }
    if (!where) {
      const locationId = line.locationId;
      shortages.push({
        sku: line.sku,
        ...(locationId ? { locationId } : {}),
        requested: line.quantity,
        available: locationId
          ? kit
            ? kitAvailability(kit, (s) => availableAt(stock.get(s), locationId))
            : availableAt(stock.get(line.sku), locationId)
          : Math.max(0, ...(stock.get(line.sku)?.locations.map((l) => l.buckets.available) ?? [0])),
      });
      continue;
    }
    const locationId = where;
    placed.push(
      ...(sku === line.sku
        ? parts.map((p) => ({ ...p, locationId }))
        : [{ lineIndex, sku, locationId, quantity: line.quantity, substituteFor: line.sku }]),
    );
  }
  if (shortages.length) throw new InsufficientStock(shortages);
  demands = placed;

  const allocations: Allocation[] = [];
  for (const group of sumByPosition(demands as (Demand & { locationId: string })[])) {
    const s = informed ? await stockOf(group.sku) : undefined;
    const shards = s?.shards ?? (await ports.positions.shardCount(group.sku));
    const home = homeShard(cmd.reservationId, group.sku, group.locationId, shards);
    let split: { shard: number; quantity: number }[] | undefined = [
      { shard: home, quantity: group.quantity },
    ];
    if (informed) {
      const items: StockPosition[] = s?.locations.find((l) => l.locationId === group.locationId)?.items ?? [];
      split = distribute(
        items.map((i) => ({ shard: i.shard, available: i.available })),
        group.quantity,
        home,
      );
      if (!split) {
        shortages.push({
          sku: group.sku,
          locationId: group.locationId,
          requested: group.quantity,
          available: availableAt(s, group.locationId),
        });
        continue;
      }
    }
    allocations.push(...splitParts(group.parts, split));
  }
  if (shortages.length) throw new InsufficientStock(shortages);
  return allocations;
}

/** Spreads the demands of one position over its shard split, in order, keeping each part's origin. */
function splitParts(
  parts: readonly Demand[],
  split: readonly { shard: number; quantity: number }[],
): Allocation[] {
  const out: Allocation[] = [];
  const remaining = split.map((s) => ({ ...s }));
  for (const part of parts) {
    let need = part.quantity;
    for (const s of remaining) {
      if (need === 0) break;
      if (s.quantity === 0) continue;
      const take = Math.min(need, s.quantity);
      s.quantity -= take;
      need -= take;
      out.push({
        lineIndex: part.lineIndex,
        sku: part.sku,
        locationId: part.locationId as string,
        shard: s.shard,
        quantity: take,
        ...(part.kitSku ? { kitSku: part.kitSku } : {}),
        ...(part.substituteFor ? { substituteFor: part.substituteFor } : {}),
      });
    }
  }
  return out;
}
