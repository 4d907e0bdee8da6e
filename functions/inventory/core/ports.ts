import type { Sku } from '#catalog/api';
import type { EventPublisher } from '#shared/events';
import type { BinDefinition, BinStock } from '../schemas/bins.ts';
import type { Allocation, CloseAction, Reservation } from '../schemas/reservation.ts';
import type { LastOp, Location, Movement, PositionKey, StockPosition } from '../schemas/stock.ts';
import type { Deltas } from './stock-position.ts';

/**
 * One conditional write to one position item. The store turns it into an UpdateItem whose
 * condition enforces invariant 1 (`requirements(deltas)`), the upper bound of the buckets it
 * raises (`ceilings(deltas)`), the command-key idempotency,
 * and whose SET bumps `version` and leaves `lastOp` for the ledger. Open reservations are not
 * on the item: their records are (docs/decisions.md, 2026-12-05); `reserved` is their sum.
 */
export interface PositionChange {
  key: PositionKey;
  deltas: Deltas;
  /** Idempotency key of a command, recorded on the item; the write fails as a duplicate if present. */
  commandKey?: string;
  op: LastOp;
  /**
   * Bins whose units change with this write, in the same transaction (a bin never goes below 0:
   * the whole write is refused as `bin-short`). A change carrying bins is never the hot path.
   */
  bins?: readonly BinChange[];
}

/** Units in (delta > 0) or out of one bin of one SKU at one location. */
export interface BinChange {
  sku: string;
  locationId: string;
  binId: string;
  delta: number;
}

export type ChangeFailure =
  /** The item does not exist. */
  | { status: 'missing' }
  /**
   * The command key is already on the item: this change was applied before.
   * `ownRetry` is set when an earlier attempt of this very call may have committed (reply lost).
   */
  | { status: 'duplicate'; current: StockPosition; ownRetry?: boolean }
  /**
   * `PositionStore.reserve` only: its retry key was used within the store's retry window by a
   * write with another body — an earlier attempt of this reservation was sent (and, as far as the
   * store can tell, applied). Nothing was written now.
   */
  | { status: 'repeat' }
  /** A bucket or available would go below zero. */
  | { status: 'insufficient'; current: StockPosition }
  /** Giving back units the item does not hold as reserved (`reserved` below the quantity). */
  | { status: 'not-held'; current: StockPosition }
  /** A bucket would grow past MAX_BUCKET_UNITS (`ceilings(deltas)`); nothing was written. */
  | { status: 'out-of-range'; current: StockPosition; field: 'onHand' | 'inTransit' }
  /** A bin the change takes units from holds fewer; nothing was written. */
  | { status: 'bin-short'; shortage: BinChange & { available: number } };

/** `after` is the item as the write left it, unless the caller asked for nothing back. */
/**
 * `after`: the item as this change left it. `current` instead when the item was read back after
 * another write had already changed it (the change is applied; its exact after-image is the
 * ledger's to tell).
 */
export type ChangeOutcome =
  | { status: 'applied'; after?: StockPosition; current?: StockPosition }
  | ChangeFailure;

/** Non-position items a transaction may carry with position changes. */
export type ReservationWrite =
  | { kind: 'create'; reservation: Reservation }
  | {
      kind: 'close';
      reservationId: string;
      action: CloseAction;
      at: string;
      by: string;
      reason?: string;
      allocations?: Allocation[];
      /** The record's revision the close was computed from (absent: never changed since created). */
      revision?: number;
    }
  | {
      /** A short pick: the open record holds fewer units; `key` is remembered on it (idempotency). */
      kind: 'shrink';
      reservationId: string;
      allocations: Allocation[];
      revision?: number;
      key: string;
      at: string;
    };

export type TransactOutcome =
  | { status: 'applied' }
  | {
      status: 'failed';
      /** Per position change: the failure, or undefined when that item was fine. */
      changes: (ChangeFailure | undefined)[];
      /** The reservation write's condition failed (record exists / is no longer open). */
      reservationFailed: boolean;
      /** An earlier attempt of this very call may have committed before its reply was lost. */
      ownRetry?: boolean;
      /** Bins that held fewer units than the transaction takes out of them. */
      binShort?: (BinChange & { available: number })[];
    };

/** Positions: the write engine and the reads around it. */
export interface PositionStore {
  /** One conditional UpdateItem. `returnItem: false` reads nothing back. @default true */
  apply(change: PositionChange, opts?: { returnItem?: boolean }): Promise<ChangeOutcome>;
  /**
   * The hot single-position reservation: one conditional write that reads nothing back, made
   * idempotent by `retryKey` for the store's retry window (DynamoDB: a one-item transaction whose
   * ClientRequestToken is derived from the key, 10 minutes). The same write sent again within the
   * window answers `applied` without applying twice; another write under the same key answers
   * `repeat`. A refused write is not remembered. After the window the key is forgotten and a
   * repeat applies again — the stream compensates it (docs/decisions.md, 2026-12-05).
   */
  reserve(change: PositionChange, retryKey: string): Promise<ChangeOutcome>;
  /** One TransactWriteItems with all changes (and optionally a reservation write), all or nothing. */
  transact(changes: readonly PositionChange[], reservation?: ReservationWrite): Promise<TransactOutcome>;
  /** Creates the empty item if it does not exist (version 0: not a change, no movement). */
  ensure(key: PositionKey): Promise<void>;
  get(key: PositionKey): Promise<StockPosition | undefined>;
  /** Every shard item of a position that exists (consistent reads). */
  shardsOf(sku: string, locationId: string, shards: number): Promise<StockPosition[]>;
  /** Head items of a SKU's positions plus its shard count (one Query). */
  headsOf(sku: string): Promise<{ heads: StockPosition[]; shards: number }>;
  /** Shard count of a SKU; may be cached briefly (a stale count only costs a fallback). */
  shardCount(sku: string): Promise<number>;
  setShardCount(sku: string, shards: number): Promise<void>;
  /** Removes command keys recorded before `olderThan` (not a change: version stays). */
  pruneDone(key: PositionKey, keys: readonly string[]): Promise<void>;
  /** SKUs that have a position at a location. */
  skusAt(locationId: string): Promise<string[]>;
  getLocation(id: string): Promise<Location | undefined>;
  putLocation(location: Location): Promise<void>;
}

/** Bin definitions and the units in bins (bin units are written through PositionChange.bins). */
export interface BinStore {
  /** The bins defined at a location (implicit ones only once a PUT redefined them). */
  definitionsAt(locationId: string): Promise<BinDefinition[]>;
  definition(locationId: string, binId: string): Promise<BinDefinition | undefined>;
  putDefinition(bin: BinDefinition): Promise<void>;
  /** Units of one SKU per bin at one location (bins at 0 included). */
  stockOf(sku: string, locationId: string): Promise<BinStock[]>;
  /** Units of every SKU per bin at one location (bins at 0 included). */
  stockAt(locationId: string): Promise<BinStock[]>;
  /**
   * A bin-to-bin move: the movement (its id is the idempotency anchor: written only if absent)
   * and the bins' units in one transaction. No position item is written.
   */
  move(movement: Movement, bins: readonly BinChange[]): Promise<BinMoveOutcome>;
}

export type BinMoveOutcome =
  | { status: 'applied' }
  /** The movement exists: this move was made before (`ownRetry`: maybe by this very call). */
  | { status: 'duplicate'; existing: Movement; ownRetry?: boolean }
  | { status: 'bin-short'; shortage: BinChange & { available: number } };

export interface ReservationStore {
  get(id: string): Promise<Reservation | undefined>;
  /** Writes the record unless one exists; answers the existing one otherwise. */
  createIfAbsent(
    reservation: Reservation,
  ): Promise<{ created: true } | { created: false; existing: Reservation }>;
  /** Open reservations whose expiry is before `now`. */
  expiredBefore(now: string, limit: number): Promise<Reservation[]>;
}

export interface LedgerPage {
  items: Movement[];
  cursor?: string;
}

export interface LedgerStore {
  /** Idempotent: movement ids are deterministic, a rewrite stores the same content. */
  putAll(movements: readonly Movement[]): Promise<void>;
  /** Writes a movement unless its id exists (repairs). */
  putIfAbsent(movement: Movement): Promise<boolean>;
  get(movementId: string): Promise<Movement | undefined>;
  /** Movements of one position item that occurred at exactly `at` (a command's recorded time). */
  atTime(key: PositionKey, at: string): Promise<Movement[]>;
  /** Every movement of one position item, in version order. */
  ofItem(key: PositionKey): Promise<Movement[]>;
  /** A SKU's ledger (optionally one location), merged over the fan-out partitions, paged. */
  ofSku(
    sku: string,
    opts: { locationId?: string; limit: number; cursor?: string; order: 'asc' | 'desc' },
  ): Promise<LedgerPage>;
}

/** Catalog's published reads: kits, substitutes, which kits contain a SKU. */
export interface CatalogReader {
  getMany(skus: readonly string[]): Promise<Map<string, Sku>>;
  kitsContaining(sku: string): Promise<string[]>;
}

export type Clock = () => Date;

export interface InventoryPorts {
  positions: PositionStore;
  reservations: ReservationStore;
  ledger: LedgerStore;
  catalog: CatalogReader;
  events: EventPublisher;
  clock: Clock;
  /**
   * Bins. Always wired (adapters/wiring.ts); optional only so in-memory ports of use cases that
   * never change onHand need not provide it. Without it, a consumption names no bins.
   */
  bins?: BinStore;
}
