import { ValidationFailed } from '#shared/errors';
import {
  BinShort,
  IdempotencyKeyReused,
  ShortPickRefused,
  TooMuchContention,
  UnknownLocation,
} from '../errors.ts';
import {
  type BinDefinition,
  byWalk,
  implicitBin,
  type PutBinBody,
  RECEIVING_BIN,
  STAGING_BIN,
} from '../schemas/bins.ts';
import type { Allocation, Reservation } from '../schemas/reservation.ts';
import type { LastOp, Movement } from '../schemas/stock.ts';
import { heldPerPosition, positionId } from './bin-picks.ts';
import { assertBinExists } from './change-stock.ts';
import { recordOf } from './close-reservation.ts';
import { DEFAULT_REASON } from './ledger.ts';
import type { BinStore, InventoryPorts, PositionChange } from './ports.ts';
import { type CommandContext, holdsByItem } from './reservation-records.ts';
import { sumBuckets } from './stock-position.ts';

/** A bin with what is in it (`GET /api/locations/{id}/bins`, `binsAt`). */
export interface BinContents {
  binId: string;
  zone: string;
  walkOrder: number;
  type: BinDefinition['type'];
  capacity?: number;
  barcode?: string;
  contents: { sku: string; quantity: number }[];
}

export function binStore(ports: InventoryPorts): BinStore {
  if (!ports.bins) throw new Error('Inventory ports were wired without a bin store');
  return ports.bins;
}

/** Creates or redefines a bin of a location (RECEIVING and STAGING may be redefined too). */
export async function putBin(
  ports: InventoryPorts,
  locationId: string,
  binId: string,
  body: PutBinBody,
): Promise<{ bin: BinDefinition; created: boolean }> {
  const bins = binStore(ports);
  const [location, previous] = await Promise.all([
    ports.positions.getLocation(locationId),
    bins.definition(locationId, binId),
  ]);
  if (!location) throw new UnknownLocation(locationId);
  const now = ports.clock().toISOString();
  const bin: BinDefinition = {
    locationId,
    binId,
    zone: body.zone,
    walkOrder: body.walkOrder,
    type: body.type,
    ...(body.capacity === undefined ? {} : { capacity: body.capacity }),
    ...(body.barcode === undefined ? {} : { barcode: body.barcode }),
    createdAt: previous?.createdAt ?? now,
    updatedAt: now,
  };
  await bins.putDefinition(bin);
  return { bin, created: !previous && !implicitBin(locationId, binId) };
}

/** The bins of a location: defined ones plus RECEIVING and STAGING unless redefined. */
async function definitionsWithImplicit(
  bins: BinStore,
  locationId: string,
): Promise<Map<string, BinDefinition>> {
  const defined = new Map((await bins.definitionsAt(locationId)).map((b) => [b.binId, b]));
  for (const id of [RECEIVING_BIN, STAGING_BIN]) {
    const implicit = implicitBin(locationId, id);
    if (!defined.has(id) && implicit) defined.set(id, implicit);
  }
  return defined;
}

/**
 * Units can only reach a bin that exists, but a bin definition is not a lock: one written in a
 * way this code does not (or removed by hand) still shows its units, as a bulk bin.
 */
const undefinedBin = (locationId: string, binId: string): BinDefinition => ({
  locationId,
  binId,
  zone: '',
  walkOrder: 0,
  type: 'bulk',
});

/** Every bin of a location (implicit RECEIVING/STAGING included) with its contents, walk order then binId. */
export async function binsAt(ports: InventoryPorts, locationId: string): Promise<BinContents[]> {
  const bins = binStore(ports);
  const [definitions, stock] = await Promise.all([
    definitionsWithImplicit(bins, locationId),
    bins.stockAt(locationId),
  ]);
  const contents = new Map<string, { sku: string; quantity: number }[]>();
  for (const s of stock) {
    if (s.quantity <= 0) continue;
    contents.set(s.binId, [...(contents.get(s.binId) ?? []), { sku: s.sku, quantity: s.quantity }]);
    if (!definitions.has(s.binId)) definitions.set(s.binId, undefinedBin(locationId, s.binId));
  }
  return [...definitions.values()].sort(byWalk).map((b) => ({
    binId: b.binId,
    zone: b.zone,
    walkOrder: b.walkOrder,
    type: b.type,
    ...(b.capacity === undefined ? {} : { capacity: b.capacity }),
    ...(b.barcode === undefined ? {} : { barcode: b.barcode }),
    contents: (contents.get(b.binId) ?? []).sort((x, y) => x.sku.localeCompare(y.sku)),
  }));
}

export interface BinStockRow {
  binId: string;
  zone: string;
  walkOrder: number;
  type: string;
  barcode?: string;
  quantity: number;
}

/** Where a SKU's units sit at a location, walk order then binId (bins with quantity > 0 only). */
export async function binStockOf(
  ports: InventoryPorts,
  sku: string,
  locationId: string,
): Promise<BinStockRow[]> {
  const bins = binStore(ports);
  const stock = (await bins.stockOf(sku, locationId)).filter((s) => s.quantity > 0);
  if (stock.length === 0) return [];
  const definitions = await definitionsWithImplicit(bins, locationId);
  return stock
    .map((s) => {
      const b = definitions.get(s.binId) ?? undefinedBin(locationId, s.binId);
      return {
        binId: s.binId,
        zone: b.zone,
        walkOrder: b.walkOrder,
        type: b.type,
        ...(b.barcode === undefined ? {} : { barcode: b.barcode }),
        quantity: s.quantity,
      };
    })
    .sort(byWalk);
}

export interface BinMove {
  sku: string;
  locationId: string;
  fromBinId: string;
  toBinId: string;
  quantity: number;
  idempotencyKey: string;
  reason?: string;
}

const MAX_ATTEMPTS = 6;

/** A bin move's movement id: one per SKU × location × key, so the key alone makes it idempotent. */
export const binMoveId = (m: { sku: string; locationId: string; idempotencyKey: string }) =>
  `binmove:${m.sku}:${m.locationId}:${m.idempotencyKey}`;

/**
 * Moves units between two bins of one location: one transaction writes the ledger movement
 * (kind `bin-move`, with fromBinId/toBinId; its id, derived from the key, is the idempotency
 * anchor) and both bins (the one the units leave never below 0: 409 BIN_SHORT, nothing written).
 * No bucket changes, so no position item is written: the hot item neither grows by a key per
 * scan nor takes a write. A repeat answers the first movement (applied false); the same key
 * with another move is 409 IDEMPOTENCY_KEY_REUSED.
 */
export async function moveBetweenBins(
  ports: InventoryPorts,
  cmd: BinMove,
  ctx: CommandContext,
): Promise<{ applied: boolean; movement: Movement }> {
  if (!Number.isInteger(cmd.quantity) || cmd.quantity <= 0) {
    throw new ValidationFailed('A bin move takes whole units', [
      { field: 'quantity', message: 'must be > 0' },
    ]);
  }
  if (cmd.fromBinId === cmd.toBinId) {
    throw new ValidationFailed('A bin move needs two bins', [
      { field: 'toBinId', message: 'must differ from "fromBinId"' },
    ]);
  }
  if (!(await ports.positions.getLocation(cmd.locationId))) throw new UnknownLocation(cmd.locationId);
  await assertBinExists(ports, cmd.locationId, cmd.toBinId);
  // The position as the move found it (a bin move changes no bucket: before = after).
  const shards = await ports.positions.shardCount(cmd.sku);
  const buckets = sumBuckets(await ports.positions.shardsOf(cmd.sku, cmd.locationId, shards));
  const movementId = binMoveId(cmd);
  const movement: Movement = {
    movementId,
    sku: cmd.sku,
    locationId: cmd.locationId,
    shard: 0,
    version: 0,
    kind: 'bin-move',
    bucket: 'available',
    delta: 0,
    deltas: {},
    before: buckets,
    after: buckets,
    reason: cmd.reason ?? DEFAULT_REASON['bin-move'],
    actor: ctx.actor,
    correlationId: ctx.correlationId,
    idempotencyKey: cmd.idempotencyKey,
    occurredAt: ports.clock().toISOString(),
    fromBinId: cmd.fromBinId,
    toBinId: cmd.toBinId,
    quantity: cmd.quantity,
  };
  const out = await binStore(ports).move(movement, [
    { sku: cmd.sku, locationId: cmd.locationId, binId: cmd.fromBinId, delta: -cmd.quantity },
    { sku: cmd.sku, locationId: cmd.locationId, binId: cmd.toBinId, delta: cmd.quantity },
  ]);
  if (out.status === 'applied') return { applied: true, movement };
  if (out.status === 'bin-short') {
    throw new BinShort({
      sku: cmd.sku,
      locationId: cmd.locationId,
      binId: cmd.fromBinId,
      requested: cmd.quantity,
      available: out.shortage.available,
    });
  }
  const first = out.existing;
  if (first.fromBinId !== cmd.fromBinId || first.toBinId !== cmd.toBinId || first.quantity !== cmd.quantity) {
    throw new IdempotencyKeyReused(cmd.idempotencyKey);
  }
  return { applied: Boolean(out.ownRetry), movement: first };
}

export interface ShortPick {
  reservationId: string;
  sku: string;
  locationId: string;
  binId: string;
  quantity: number;
  idempotencyKey: string;
  reason: string;
}

/**
 * A short pick: `quantity` units of `sku` the reservation holds at `locationId` were not in
 * `binId`. One transaction: the record's allocations and the items' reserved shrink by `quantity`
 * (reserved with them); what the bin still records of them (at most `quantity`) is written off
 * the bin and onHand together, so Σ bins = onHand holds; the rest only shrinks the reservation.
 * Idempotent by key (kept on the record). 409 when the reservation is not open or holds fewer.
 */
export async function shortPickReservation(
  ports: InventoryPorts,
  cmd: ShortPick,
  ctx: CommandContext,
): Promise<{ applied: boolean; reservation: Reservation }> {
  if (!Number.isInteger(cmd.quantity) || cmd.quantity <= 0) {
    throw new ValidationFailed('A short pick takes whole units', [
      { field: 'quantity', message: 'must be > 0' },
    ]);
  }
  const bins = binStore(ports);
  let reservation = await recordOf(ports, cmd.reservationId, 5000);
  for (let attempt = 1; attempt <= MAX_ATTEMPTS * 2; attempt++) {
    if (reservation.shortPickKeys?.includes(cmd.idempotencyKey)) return { applied: false, reservation };
    if (reservation.status !== 'open') {
      throw new ShortPickRefused(
        cmd.reservationId,
        `Reservation ${cmd.reservationId} is ${reservation.status}`,
        {
          status: reservation.status,
        },
      );
    }
    const held = heldPerPosition(reservation.allocations).get(positionId(cmd)) ?? 0;
    if (held < cmd.quantity) {
      throw new ShortPickRefused(
        cmd.reservationId,
        `Reservation ${cmd.reservationId} holds ${held} of ${cmd.sku} at ${cmd.locationId}, ${cmd.quantity} short`,
        { sku: cmd.sku, locationId: cmd.locationId, held, requested: cmd.quantity },
      );
    }
    const inBin =
      (await bins.stockOf(cmd.sku, cmd.locationId)).find((b) => b.binId === cmd.binId)?.quantity ?? 0;
    const writeOff = Math.max(0, Math.min(cmd.quantity, inBin));

    // Shrink the allocations in order; note per item (shard) how much its hold loses.
    let left = cmd.quantity;
    const shrinkBy = new Map<number, number>();
    const allocations: Allocation[] = [];
    for (const a of reservation.allocations) {
      if (a.sku !== cmd.sku || a.locationId !== cmd.locationId || left === 0) {
        allocations.push(a);
        continue;
      }
      const take = Math.min(left, a.quantity);
      left -= take;
      shrinkBy.set(a.shard, (shrinkBy.get(a.shard) ?? 0) + take);
      if (a.quantity > take) allocations.push({ ...a, quantity: a.quantity - take });
    }
    const at = ports.clock().toISOString();
    const op: LastOp = {
      kind: 'short-pick',
      at,
      actor: ctx.actor,
      reason: 'short_pick',
      note: cmd.reason,
      correlationId: ctx.correlationId,
      idempotencyKey: cmd.idempotencyKey,
      reservationId: cmd.reservationId,
      binId: cmd.binId,
    };
    let offLeft = writeOff;
    const changes: PositionChange[] = holdsByItem(reservation.allocations)
      .filter(
        (item) => item.sku === cmd.sku && item.locationId === cmd.locationId && shrinkBy.has(item.shard),
      )
      .map((item) => {
        const shrink = shrinkBy.get(item.shard) ?? 0;
        const off = Math.min(offLeft, shrink);
        offLeft -= off;
        return {
          key: { sku: item.sku, locationId: item.locationId, shard: item.shard },
          deltas: off ? { reserved: -shrink, onHand: -off } : { reserved: -shrink },
          op,
        };
      });
    const [first] = changes;
    if (first && writeOff > 0) {
      first.bins = [{ sku: cmd.sku, locationId: cmd.locationId, binId: cmd.binId, delta: -writeOff }];
    }
    const out = await ports.positions.transact(changes, {
      kind: 'shrink',
      reservationId: cmd.reservationId,
      allocations,
      ...(reservation.revision === undefined ? {} : { revision: reservation.revision }),
      key: cmd.idempotencyKey,
      at,
    });
    if (out.status === 'applied') {
      return {
        applied: true,
        reservation: {
          ...reservation,
          allocations,
          revision: (reservation.revision ?? 0) + 1,
          shortPickKeys: [...(reservation.shortPickKeys ?? []), cmd.idempotencyKey],
        },
      };
    }
    // Changed meanwhile (another short pick, a close, the bin): read again and recompute.
    const again = await recordOf(ports, cmd.reservationId, 0);
    if (out.ownRetry && again.shortPickKeys?.includes(cmd.idempotencyKey)) {
      return { applied: true, reservation: again };
    }
    reservation = again;
  }
  throw new TooMuchContention(`short pick ${cmd.idempotencyKey}`);
}
