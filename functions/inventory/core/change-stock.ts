import { MAX_BUCKET_UNITS } from '#shared/bounds';
import { ValidationFailed } from '#shared/errors';
import {
  BinShort,
  IdempotencyKeyReused,
  InsufficientStock,
  KitHasNoStock,
  QuantityOutOfRange,
  TooMuchContention,
  UnknownBin,
  UnknownLocation,
  UnknownSku,
} from '../errors.ts';
import { bucketOf } from '../keys.ts';
import { implicitBin, RECEIVING_BIN } from '../schemas/bins.ts';
import type { Bucket, LastOp, Movement, OpKind, PositionKey, StockPosition } from '../schemas/stock.ts';
import { movementOf } from './ledger.ts';
import type { BinChange, InventoryPorts, PositionChange } from './ports.ts';
import type { CommandContext } from './reservation-records.ts';
import { applyDeltas, availableDelta, type Deltas, negate, requirements } from './stock-position.ts';
import { ensurePosition, readSkuStock } from './stock-view.ts';

/** A stock command with an idempotency key: adjustment, receipt, status move. */
export interface StockCommand {
  kind: Extract<OpKind, 'adjust' | 'receive' | 'move'>;
  sku: string;
  locationId: string;
  deltas: Deltas;
  reason: string;
  idempotencyKey: string;
  /** The bin whose units change with onHand. @default RECEIVING_BIN */
  binId?: string;
}

export interface StockCommandResult {
  movement: Movement;
  /** The position item the command changed, as the write left it. */
  position: StockPosition;
  /** False when the idempotency key had been applied before: the answer is the first outcome. */
  applied: boolean;
}

const MAX_ATTEMPTS = 6;

/**
 * Applies a keyed stock command as ONE conditional UpdateItem on one position item: the
 * condition keeps every bucket and available ≥ 0 (invariant 1) and ≤ MAX_BUCKET_UNITS (a write
 * past it is refused with QUANTITY_OUT_OF_RANGE, nothing written) and refuses a key already
 * recorded on the item (a retry answers the first outcome); the ledger movement follows from
 * the stream. A sharded position takes the command on the shard its key hashes to; units are
 * first moved there from sibling shards when it is short.
 */
export async function applyStockCommand(
  ports: InventoryPorts,
  cmd: StockCommand,
  ctx: CommandContext,
): Promise<StockCommandResult> {
  await assertStockable(ports, cmd.sku, cmd.locationId);
  const binId = cmd.binId ?? RECEIVING_BIN;
  const onHandDelta = cmd.deltas.onHand ?? 0;
  // Every change of onHand moves one bin by the same amount, in the same transaction.
  const bins: BinChange[] = onHandDelta
    ? [{ sku: cmd.sku, locationId: cmd.locationId, binId, delta: onHandDelta }]
    : [];
  if (bins.length) await assertBinExists(ports, cmd.locationId, binId);
  const shards = await ports.positions.shardCount(cmd.sku);
  const key: PositionKey = {
    sku: cmd.sku,
    locationId: cmd.locationId,
    shard: shards > 1 ? bucketOf(cmd.idempotencyKey, shards) : 0,
  };
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const op: LastOp = {
      kind: cmd.kind,
      at: ports.clock().toISOString(),
      actor: ctx.actor,
      reason: cmd.reason,
      correlationId: ctx.correlationId,
      idempotencyKey: cmd.idempotencyKey,
      ...(bins.length ? { binId } : {}),
    };
    const change: PositionChange = {
      key,
      deltas: cmd.deltas,
      commandKey: cmd.idempotencyKey,
      op,
      ...(bins.length ? { bins } : {}),
    };
    const out = await ports.positions.apply(change);
    if (out.status === 'applied' && out.after) {
      const movement = movementOf({
        key,
        version: out.after.version,
        before: applyDeltas(out.after, negate(cmd.deltas)),
        after: out.after,
        op,
      });
      if (shards > 1 && availableDelta(cmd.deltas) > 0)
        await rebalancePosition(ports, cmd.sku, cmd.locationId, ctx);
      return { movement, position: out.after, applied: true };
    }
    if (out.status === 'applied') {
      if (shards > 1 && availableDelta(cmd.deltas) > 0)
        await rebalancePosition(ports, cmd.sku, cmd.locationId, ctx);
      // A concurrent write changed the item right after ours: the movement is the ledger's.
      const position = out.current ?? (await ports.positions.get(key));
      if (!position) throw new Error(`Position ${key.sku}@${key.locationId} vanished after a write`);
      return { movement: pendingMovement(key, cmd, op), position, applied: true };
    }
    if (out.status === 'duplicate') {
      const movement = await movementOfCommand(ports, key, out.current, cmd.idempotencyKey);
      if (
        movement &&
        (!sameDeltas(movement.deltas, cmd.deltas) || (movement.binId && movement.binId !== op.binId))
      )
        throw new IdempotencyKeyReused(cmd.idempotencyKey);
      return {
        movement: movement ?? pendingMovement(key, cmd, op),
        position: out.current,
        applied: Boolean(out.ownRetry),
      };
    }
    if (out.status === 'missing') {
      if (requirements(cmd.deltas).length > 0) {
        const need = requirements(cmd.deltas)[0];
        throw new InsufficientStock({
          sku: cmd.sku,
          locationId: cmd.locationId,
          requested: need?.atLeast ?? 0,
          available: 0,
        });
      }
      await ensurePosition(ports.positions, key);
      continue;
    }
    if (out.status === 'bin-short') throw new BinShort({ ...out.shortage, requested: -out.shortage.delta });
    if (out.status === 'out-of-range') {
      throw new QuantityOutOfRange({
        sku: cmd.sku,
        locationId: cmd.locationId,
        field: out.field,
        current: out.current[out.field],
        delta: cmd.deltas[out.field] ?? 0,
        max: MAX_BUCKET_UNITS,
      });
    }
    if (
      out.status === 'insufficient' &&
      shards > 1 &&
      (await gatherInto(ports, key, cmd.deltas, shards, ctx))
    )
      continue;
    const short = requirements(cmd.deltas).find(
      (r) => ('current' in out ? out.current[r.field] : 0) < r.atLeast,
    );
    throw new InsufficientStock({
      sku: cmd.sku,
      locationId: cmd.locationId,
      requested: short?.atLeast ?? 0,
      available: short && 'current' in out ? Math.max(0, out.current[short.field]) : 0,
    });
  }
  throw new TooMuchContention(`${cmd.kind} ${cmd.idempotencyKey}`);
}

/** Units go only into bins that exist: defined at the location, or its RECEIVING and STAGING. */
export async function assertBinExists(
  ports: InventoryPorts,
  locationId: string,
  binId: string,
): Promise<void> {
  if (implicitBin(locationId, binId) || !ports.bins) return;
  if (!(await ports.bins.definition(locationId, binId))) throw new UnknownBin(locationId, binId);
}

/** Stock is kept for known, non-kit SKUs at known locations (a kit's stock is its components'). */
export async function assertStockable(ports: InventoryPorts, sku: string, locationId: string): Promise<void> {
  const [skus, location] = await Promise.all([
    ports.catalog.getMany([sku]),
    ports.positions.getLocation(locationId),
  ]);
  const found = skus.get(sku);
  if (!found) throw new UnknownSku(sku);
  if (found.kit) throw new KitHasNoStock(sku);
  if (!location) throw new UnknownLocation(locationId);
}

const sameDeltas = (a: Deltas, b: Deltas) => {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]) as Set<Bucket>;
  return [...keys].every((k) => (a[k] ?? 0) === (b[k] ?? 0));
};

/**
 * The movement an earlier run of this command made. The item records when the key was
 * applied; the ledger row has that time and key. The stream writes it a moment after the
 * command, so a concurrent retry waits for it briefly.
 */
/** About 2.4 s in all (25, 50, 100, 200, then 250 ms apart). */
const LEDGER_WAIT_ATTEMPTS = 12;

async function movementOfCommand(
  ports: InventoryPorts,
  key: PositionKey,
  current: StockPosition,
  idempotencyKey: string,
): Promise<Movement | undefined> {
  const at = current.done[idempotencyKey];
  if (!at) return undefined;
  // The ledger follows the stream. Wait a little for it, never a function timeout's worth: after
  // a crash the ledger consumer may be catching up behind the very replays waiting on it, and the
  // repeat changes nothing either way (it is answered with a pending movement).
  for (let attempt = 0; attempt < LEDGER_WAIT_ATTEMPTS; attempt++) {
    const found = await ports.ledger.atTime(key, at);
    const movement = found.find((m) => m.idempotencyKey === idempotencyKey);
    if (movement) return movement;
    await new Promise((r) => setTimeout(r, Math.min(250, 25 * 2 ** attempt)));
  }
  return undefined;
}

function pendingMovement(key: PositionKey, cmd: StockCommand, op: LastOp): Movement {
  const m = movementOf({ key, version: 0, before: {}, after: cmd.deltas, op });
  return { ...m, movementId: `pending:${cmd.idempotencyKey}` };
}

/**
 * Moves units between shard items of one position: from `from` to `to`, of `bucket` (or the
 * free part, `available`). Both items change in one transaction; totals stay the same.
 */
async function transfer(
  ports: InventoryPorts,
  from: PositionKey,
  to: PositionKey,
  bucket: Bucket | 'available',
  quantity: number,
  ctx: CommandContext,
): Promise<boolean> {
  const d: Deltas =
    bucket === 'available' || bucket === 'onHand'
      ? { onHand: quantity }
      : { onHand: quantity, [bucket]: quantity };
  const op: LastOp = {
    kind: 'rebalance',
    at: ports.clock().toISOString(),
    actor: ctx.actor,
    reason: `rebalance shards ${from.shard}→${to.shard}`,
    correlationId: ctx.correlationId,
    idempotencyKey: `rebalance:${from.sku}:${from.locationId}:${from.shard}->${to.shard}`,
  };
  await ensurePosition(ports.positions, to);
  const out = await ports.positions.transact([
    { key: from, deltas: negate(d), op },
    { key: to, deltas: d, op },
  ]);
  return out.status === 'applied';
}

/** Brings enough units onto one shard for a change that needs them there. */
async function gatherInto(
  ports: InventoryPorts,
  target: PositionKey,
  deltas: Deltas,
  shards: number,
  ctx: CommandContext,
): Promise<boolean> {
  const items = await ports.positions.shardsOf(target.sku, target.locationId, shards);
  const here = items.find((i) => i.shard === target.shard);
  let moved = false;
  for (const need of requirements(deltas)) {
    const bucket = need.field === 'onHand' ? 'available' : need.field;
    let missing = need.atLeast - (here ? here[bucket] : 0);
    for (const other of items) {
      if (missing <= 0) break;
      if (other.shard === target.shard) continue;
      const take = Math.min(missing, Math.max(0, other[bucket]));
      if (take <= 0) continue;
      if (await transfer(ports, { ...target, shard: other.shard }, target, bucket, take, ctx)) {
        missing -= take;
        moved = true;
      }
    }
  }
  return moved;
}

/**
 * Evens out the free units of a sharded position over its shards, so reservations landing on
 * any home shard find stock. Best effort: a transfer that loses a race is skipped.
 */
export async function rebalancePosition(
  ports: InventoryPorts,
  sku: string,
  locationId: string,
  ctx: CommandContext,
): Promise<void> {
  const shards = await ports.positions.shardCount(sku);
  if (shards <= 1) return;
  const items = await ports.positions.shardsOf(sku, locationId, shards);
  const byShard = new Map(items.map((i) => [i.shard, i.available]));
  const total = items.reduce((s, i) => s + Math.max(0, i.available), 0);
  const target = (n: number) => Math.floor(total / shards) + (n < total % shards ? 1 : 0);
  const surplus = Array.from({ length: shards }, (_, n) => ({
    shard: n,
    extra: (byShard.get(n) ?? 0) - target(n),
  }));
  const givers = surplus.filter((s) => s.extra > 0);
  const takers = surplus.filter((s) => s.extra < 0);
  for (const taker of takers) {
    for (const giver of givers) {
      if (taker.extra >= 0) break;
      if (giver.extra <= 0) continue;
      const q = Math.min(giver.extra, -taker.extra);
      const ok = await transfer(
        ports,
        { sku, locationId, shard: giver.shard },
        { sku, locationId, shard: taker.shard },
        'available',
        q,
        ctx,
      );
      if (!ok) continue;
      giver.extra -= q;
      taker.extra += q;
    }
  }
}

/**
 * Sets a SKU's shard count and spreads each position's free units over the shards. Counts only
 * grow: shard items keep their holds and ledger, so dropping one would hide its stock.
 */
export async function setSharding(ports: InventoryPorts, sku: string, shards: number, ctx: CommandContext) {
  const found = (await ports.catalog.getMany([sku])).get(sku);
  if (!found) throw new UnknownSku(sku);
  if (found.kit) throw new KitHasNoStock(sku);
  const before = await ports.positions.headsOf(sku);
  if (shards < before.shards) {
    throw new ValidationFailed('The shard count can only grow', [
      { field: 'shards', message: `must be at least the current ${before.shards}` },
    ]);
  }
  await ports.positions.setShardCount(sku, shards);
  for (const head of before.heads) await rebalancePosition(ports, sku, head.locationId, ctx);
  return readSkuStock(ports.positions, sku);
}
