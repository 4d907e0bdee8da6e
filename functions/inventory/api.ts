/**
 * Inventory's front door: the types, events and functions other contexts, the deployer and the
 * console may use. Nothing else under `functions/inventory/` is imported from outside it
 * (dependency-cruiser checks); other contexts never read or write inventory's items.
 */
import { dynamoLocations } from './adapters/dynamo-locations.ts';
import { inventoryPorts } from './adapters/wiring.ts';
import type { BinPick } from './core/bin-picks.ts';
import * as bins from './core/bins.ts';
import { availabilityByLocation } from './core/channel-availability.ts';
import { closeReservation } from './core/close-reservation.ts';
import type { CommandContext } from './core/reservation-records.ts';
import { type ReservationTaskInput, runReservationTask } from './core/reservation-task.ts';
import { adjustStock, moveStock, receiveStock } from './core/stock-commands.ts';
import { readSkuStock } from './core/stock-view.ts';
import { RECEIVING_BIN } from './schemas/bins.ts';
import type { Reservation } from './schemas/reservation.ts';

export type { BinPick } from './core/bin-picks.ts';
export type { BinContents, BinStockRow, ShortPick } from './core/bins.ts';
export type { BrowseRow } from './core/browse.ts';
export type { CheckReport, Mismatch } from './core/check-invariants.ts';
export type { CommandContext } from './core/reservation-records.ts';
export type { ReservationTaskAnswer, ReservationTaskInput } from './core/reservation-task.ts';
export type { LocationStock, SkuStock } from './core/stock-view.ts';
export { ChannelAvailabilityChanged } from './events/channel-availability-changed.ts';
export { InventoryMismatchDetected } from './events/inventory-mismatch-detected.ts';
export { ReservationReleased } from './events/reservation-released.ts';
export { StockAdjusted } from './events/stock-adjusted.ts';
export { StockReceived } from './events/stock-received.ts';
export type { Reservation } from './schemas/reservation.ts';
export type {
  AdjustBucket,
  AdjustmentBody,
  Bucket,
  Buckets,
  Location,
  MoveBody,
  MoveBucket,
  Movement,
  PutLocationBody,
  StoredThreePLConnection,
} from './schemas/stock.ts';

let wired: ReturnType<typeof inventoryPorts> | undefined;
/** Wired on first use, so importing this module for its types or events costs nothing. */
const ports = () => {
  wired ??= inventoryPorts();
  return wired;
};

/**
 * Reserve, release or consume for another context (order release, fulfillment), through the
 * same core as `POST /api/reservations`. A shortage is an answer (`insufficient`), not a throw.
 */
export const reservationTask = (input: ReservationTaskInput) => runReservationTask(ports(), input);

/** A stocking location's definition (type, address), or undefined. */
export const locationOf = (locationId: string) => ports().positions.getLocation(locationId);

/** What routing needs of one SKU at one location. */
export interface RoutableStock {
  available: number;
  inTransit: number;
  reserved: number;
}

/**
 * Stock per SKU and location as order routing sees it: a plain SKU's buckets, and for a kit the
 * kits its components can build at each location (a kit is reserved by its components, so that
 * is what an order for it can take). Kit definitions come from the catalog (cached briefly).
 */
export async function routableStock(
  skus: readonly string[],
): Promise<Map<string, Map<string, RoutableStock>>> {
  const p = ports();
  const definitions = await p.catalog.getMany(skus);
  const out = new Map<string, Map<string, RoutableStock>>();
  await Promise.all(
    skus.map(async (sku) => {
      const definition = definitions.get(sku);
      if (definition?.kit?.components.length) {
        const byLocation = await availabilityByLocation(p.positions, sku, definition);
        out.set(
          sku,
          new Map([...byLocation].map(([loc, available]) => [loc, { available, inTransit: 0, reserved: 0 }])),
        );
        return;
      }
      const stock = await readSkuStock(p.positions, sku);
      out.set(
        sku,
        new Map(
          stock.locations.map((l) => [
            l.locationId,
            {
              available: Math.max(0, l.buckets.available),
              inTransit: l.buckets.inTransit ?? 0,
              reserved: l.buckets.reserved ?? 0,
            },
          ]),
        ),
      );
    }),
  );
  return out;
}

/** Every bin of a location (implicit RECEIVING/STAGING included), walk order then binId. */
export const binsAt = (locationId: string): Promise<bins.BinContents[]> => bins.binsAt(ports(), locationId);

/** Where a SKU's units sit at a location, walk order then binId (bins with quantity > 0 only). */
export const binStockOf = (sku: string, locationId: string): Promise<bins.BinStockRow[]> =>
  bins.binStockOf(ports(), sku, locationId);

/** A bin move as other contexts ask for it: always with a reason. */
export interface BinMoveCommand extends bins.BinMove {
  reason: string;
}

/**
 * Moves units between two bins of one location; idempotent by key (a repeat answers
 * applied:false). Throws a DomainError 409 BIN_SHORT when fromBin lacks them.
 */
export async function moveBetweenBins(
  cmd: BinMoveCommand,
  ctx: CommandContext,
): Promise<{ applied: boolean }> {
  const { applied } = await bins.moveBetweenBins(ports(), cmd, ctx);
  return { applied };
}

/** Reads a reservation: its status and allocations (sku, locationId, quantity, kitSku?, lineIndex). */
export const reservationOf = (reservationId: string): Promise<Reservation | undefined> =>
  ports().reservations.get(reservationId);

/**
 * Short pick: `quantity` units of `sku` held by the reservation at `locationId` were not in
 * `binId`. One transaction: the reservation holds `quantity` fewer units (record and position hold
 * shrink, reserved with them); what the bin still records of them (never more than it has) leaves
 * the bin and onHand together; ledger reason 'short_pick'. Idempotent by idempotencyKey.
 * Throws 409 SHORT_PICK_REFUSED when the reservation is not open or holds fewer units.
 */
export const shortPickReservation = (
  cmd: bins.ShortPick,
  ctx: CommandContext,
): Promise<{ applied: boolean; reservation: Reservation }> => bins.shortPickReservation(ports(), cmd, ctx);

/**
 * Ship: consumes the whole (remaining) reservation in one transaction; `picks` says which bins
 * the units leave (per sku × location they must add up to what it holds there, else 409
 * PICKS_MISMATCH; a named bin that lacks them: 409 BIN_SHORT). Idempotent by reservation id
 * (consuming again answers applied:false with the consumed record).
 */
export async function consumeReservationFromBins(
  cmd: { reservationId: string; picks: BinPick[]; reason?: string },
  ctx: CommandContext,
): Promise<{ applied: boolean; reservation: Reservation }> {
  return closeReservation(ports(), cmd.reservationId, 'consume', ctx, {
    picks: cmd.picks,
    ...(cmd.reason ? { reason: cmd.reason } : {}),
  });
}

/** Goods in from another context (receiving at the dock): always with a reason and a key. */
export interface GoodsInCommand {
  sku: string;
  locationId: string;
  quantity: number;
  /** Sellable units land in `available`, units damaged on arrival in `damaged`. */
  bucket: 'available' | 'damaged';
  reason: string;
  /** 8–128 characters; the same key again changes nothing and answers applied:false. */
  idempotencyKey: string;
}

/**
 * Receives units into the location's RECEIVING bin (onHand and the bucket grow together), the
 * same command as `POST /api/inventory/receipts`; one ledger movement per key.
 */
export async function receiveGoods(cmd: GoodsInCommand, ctx: CommandContext): Promise<{ applied: boolean }> {
  const { applied } = await receiveStock(ports(), { ...cmd, binId: RECEIVING_BIN }, ctx);
  return { applied };
}

/** Units on their way to a location (a transfer between locations), as other contexts change them. */
export interface InTransitCommand {
  sku: string;
  locationId: string;
  /** + units shipped towards the location, − units that stopped being on their way (arrived or lost). */
  delta: number;
  reason: string;
  /** 8–128 characters; the same key again changes nothing and answers applied:false. */
  idempotencyKey: string;
}

/**
 * Changes only the `inTransit` bucket of a position (onHand, available and bins untouched): the
 * same adjustment as `POST /api/inventory/adjustments` with `bucket: "inTransit"`, one ledger
 * movement per key; never below zero (409 INSUFFICIENT_STOCK).
 */
export async function changeInTransit(
  cmd: InTransitCommand,
  ctx: CommandContext,
): Promise<{ applied: boolean }> {
  const { applied } = await adjustStock(ports(), { ...cmd, bucket: 'inTransit' }, ctx);
  return { applied };
}

/** A count correction from another context (inbound's cycle counts): always with a reason and a key. */
export interface CountCorrectionCommand {
  sku: string;
  locationId: string;
  /** The counted bin: its units change with onHand and the free stock. */
  binId: string;
  /** Counted − expected, not zero. */
  delta: number;
  reason: string;
  /** 8–128 characters; the same key again changes nothing and answers applied:false. */
  idempotencyKey: string;
}

/**
 * Posts a counted difference as an adjustment of the bin and the free stock (one ledger
 * movement per key), the same command as `POST /api/inventory/adjustments`. A loss larger than
 * the free units (the rest is reserved for orders) is refused 409 INSUFFICIENT_STOCK, and one
 * larger than the bin holds 409 BIN_SHORT, with nothing changed: reservations never exceed onHand.
 */
export async function adjustCountedStock(
  cmd: CountCorrectionCommand,
  ctx: CommandContext,
): Promise<{ applied: boolean }> {
  const { applied } = await adjustStock(ports(), { ...cmd, bucket: 'available' }, ctx);
  return { applied };
}

/** Every stocking location's id, in id order (schedules that visit each location). */
export async function allLocationIds(): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await dynamoLocations().list(200, cursor);
    ids.push(...page.items.map((l) => l.locationId));
    cursor = page.cursor;
  } while (cursor);
  return ids;
}
/**
 * Returned units in at the dock: onHand and returnedPending grow together in the location's
 * RECEIVING bin (available does not change until inspection decides). One ledger movement per key.
 */
export async function receiveReturned(
  cmd: { sku: string; locationId: string; quantity: number; reason: string; idempotencyKey: string },
  ctx: CommandContext,
): Promise<{ applied: boolean }> {
  const { applied } = await receiveStock(
    ports(),
    { ...cmd, bucket: 'returnedPending', binId: RECEIVING_BIN },
    ctx,
  );
  return { applied };
}

/** What inspection decides for returned units. */
export type ReturnDisposition = 'restock' | 'refurbish' | 'quarantine' | 'damaged' | 'write_off';

/**
 * Inspected returned units leave returnedPending, as one ledger movement per key: `restock` →
 * available; `refurbish` and `quarantine` → quarantined; `damaged` → damaged; `write_off` → off
 * onHand (and the RECEIVING bin) altogether. Refused 409 when returnedPending lacks the units.
 */
export async function dispositionReturned(
  cmd: {
    sku: string;
    locationId: string;
    quantity: number;
    disposition: ReturnDisposition;
    reason: string;
    idempotencyKey: string;
  },
  ctx: CommandContext,
): Promise<{ applied: boolean }> {
  const base = {
    sku: cmd.sku,
    locationId: cmd.locationId,
    reason: cmd.reason,
    idempotencyKey: cmd.idempotencyKey,
  };
  if (cmd.disposition === 'write_off') {
    const { applied } = await adjustStock(
      ports(),
      { ...base, delta: -cmd.quantity, bucket: 'returnedPending', binId: RECEIVING_BIN },
      ctx,
    );
    return { applied };
  }
  const to = (
    { restock: 'available', refurbish: 'quarantined', quarantine: 'quarantined', damaged: 'damaged' } as const
  )[cmd.disposition];
  const { applied } = await moveStock(
    ports(),
    { ...base, from: 'returnedPending', to, quantity: cmd.quantity },
    ctx,
  );
  return { applied };
}
/**
 * The number inventory last announced for the channel and SKU (ChannelAvailabilityChanged),
 * read consistently: what a connector sets the channel to. 0 when none was announced.
 */
export async function channelAvailability(channelId: string, sku: string): Promise<number> {
  return (await ports().channels.published.get(sku, channelId)) ?? 0;
}

/** The SKUs inventory has announced a number for on the channel (a full resync pushes them all). */
export const channelSkus = (channelId: string): Promise<string[]> =>
  ports().channels.published.skusOf(channelId);

/** One position's numbers as a 3PL reconciliation compares them (shards summed). */
export interface NodePosition {
  onHand: number;
  reserved: number;
  available: number;
}

/**
 * Our positions at one location: every SKU stocked there, and `alsoSkus` (a 3PL's snapshot may
 * name SKUs we never had there; they answer zeros). Consistent reads.
 */
export async function positionsAt(
  locationId: string,
  alsoSkus: readonly string[] = [],
): Promise<Map<string, NodePosition>> {
  const p = ports();
  const skus = new Set([...(await p.positions.skusAt(locationId)), ...alsoSkus]);
  const out = new Map<string, NodePosition>();
  await Promise.all(
    [...skus].map(async (sku) => {
      const at = (await readSkuStock(p.positions, sku)).locations.find((l) => l.locationId === locationId);
      out.set(sku, {
        onHand: at?.buckets.onHand ?? 0,
        reserved: at?.buckets.reserved ?? 0,
        available: at?.buckets.available ?? 0,
      });
    }),
  );
  return out;
}
