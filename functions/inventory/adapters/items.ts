import { withoutKeys } from '#shared/table';
import { ZERO_BUCKETS } from '../core/stock-position.ts';
import { inventoryKeys } from '../keys.ts';
import type { BinDefinition, BinStock } from '../schemas/bins.ts';
import type { Reservation } from '../schemas/reservation.ts';
import type { Bucket, LastOp, Movement, StockPosition } from '../schemas/stock.ts';

/**
 * Attributes in which earlier versions kept open holds on the position item: a map `holds`
 * (id → quantity), later a string set `holdIds` plus `holdQuantities`. Open reservations are now
 * only their records (docs/decisions.md, 2026-12-05); items still carrying these are upgraded on
 * start (local/upgrade-data.ts) and, until then, read as if they did not.
 */
export const LEGACY_HOLD_ATTRIBUTES = ['holds', 'holdIds', 'holdQuantities'] as const;

/**
 * Buckets most positions never use: stored only once a write moves units into them (the write
 * adds with `if_not_exists`), read as 0 while absent. Every attribute is parsed on every write of
 * the item in DynamoDB Local; `onHand`, `reserved` and `available` are always there, so the hot
 * reservation write stays plain arithmetic.
 */
export const SPARSE_BUCKETS: readonly Bucket[] = [
  'damaged',
  'quarantined',
  'returnedPending',
  'safetyStock',
  'inTransit',
];

/**
 * `lastOp` (what the write did, for the stream's ledger movement) travels as one JSON string: as a
 * map, DynamoDB Local parses its fields on every later write of the item too (~5 % of the hot
 * reservation write). Items written before keep a map, read the same way.
 */
export const encodeLastOp = (op: LastOp): string => JSON.stringify(op);
const decodeLastOp = (stored: unknown): LastOp | undefined =>
  typeof stored === 'string' ? (JSON.parse(stored) as LastOp) : (stored as LastOp | undefined);

/**
 * Item ↔ domain mapping for inventory entities. Position items without a `shard` attribute were
 * written before sharding existed: they are shard 0.
 */
export function toPosition(item: Record<string, unknown>): StockPosition {
  const rest = withoutKeys(item);
  for (const legacy of LEGACY_HOLD_ATTRIBUTES) delete rest[legacy];
  const p = rest as unknown as StockPosition;
  const lastOp = decodeLastOp(p.lastOp);
  return {
    ...ZERO_BUCKETS,
    ...p,
    shard: p.shard ?? 0,
    done: p.done ?? {},
    ...(lastOp ? { lastOp } : {}),
  };
}

/** A position as its item stores it (keys added by the caller). */
export function positionAttributes(p: StockPosition): Record<string, unknown> {
  const { lastOp, ...all } = p;
  const rest = Object.fromEntries(
    Object.entries(all).filter(([k, v]) => !(SPARSE_BUCKETS.includes(k as Bucket) && v === 0)),
  );
  return { ...rest, ...(lastOp ? { lastOp: encodeLastOp(lastOp) } : {}) };
}

export function movementItem(m: Movement): Record<string, unknown> {
  return {
    ...inventoryKeys.movement(m.movementId),
    ...inventoryKeys.movementIndex(m),
    entity: 'Movement',
    ...m,
  };
}

/**
 * A bin-to-bin move's movement: in the SKU's ledger (gsi1) but not in any position item's
 * (gsi2), since it is not a version of one: the checker's one-movement-per-version count and
 * ledger sums never see it (it changes no bucket).
 */
export function binMoveItem(m: Movement): Record<string, unknown> {
  const { gsi1pk, gsi1sk } = inventoryKeys.movementIndex(m);
  return { ...inventoryKeys.movement(m.movementId), gsi1pk, gsi1sk, entity: ENTITY.movement, ...m };
}

export const toMovement = (item: Record<string, unknown>): Movement =>
  withoutKeys(item) as unknown as Movement;

export function reservationItem(r: Reservation): Record<string, unknown> {
  return {
    ...inventoryKeys.reservation(r.reservationId),
    ...(r.status === 'open' && r.expiresAt
      ? inventoryKeys.reservationExpiryIndex(r.reservationId, r.expiresAt)
      : {}),
    entity: 'Reservation',
    ...r,
  };
}

/** A reservation record; `shortPickKeys` (a string set on the item) reads as an array. */
export function toReservation(item: Record<string, unknown>): Reservation {
  const { shortPickKeys, ...rest } = withoutKeys(item);
  return {
    ...(rest as unknown as Reservation),
    ...(shortPickKeys ? { shortPickKeys: [...(shortPickKeys as Iterable<string>)] } : {}),
  };
}

export function binItem(bin: BinDefinition): Record<string, unknown> {
  return { ...inventoryKeys.bin(bin.locationId, bin.binId), entity: ENTITY.bin, ...bin };
}

export const toBin = (item: Record<string, unknown>): BinDefinition =>
  withoutKeys(item) as unknown as BinDefinition;

export function toBinStock(item: Record<string, unknown>): BinStock {
  return {
    sku: String(item.sku),
    locationId: String(item.locationId),
    binId: String(item.binId),
    quantity: Number(item.quantity ?? 0),
    ...(item.updatedAt ? { updatedAt: String(item.updatedAt) } : {}),
  };
}

/** Entity discriminator values this context writes. */
export const ENTITY = {
  position: 'StockPosition',
  movement: 'Movement',
  reservation: 'Reservation',
  bin: 'Bin',
  binStock: 'BinStock',
} as const;
