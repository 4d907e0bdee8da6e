/**
 * Inventory's front door: the types, events and functions other contexts, the deployer and the
 * console may use. Nothing else under `functions/inventory/` is imported from outside it
 * (dependency-cruiser checks); other contexts never read or write inventory's items.
 */
import { inventoryPorts } from './adapters/wiring.ts';
import { type ReservationTaskInput, runReservationTask } from './core/reservation-task.ts';
import { readSkuStock } from './core/stock-view.ts';

export type { CheckReport, Mismatch } from './core/check-invariants.ts';
export type { ReservationTaskAnswer, ReservationTaskInput } from './core/reservation-task.ts';
export type { LocationStock, SkuStock } from './core/stock-view.ts';
export { ChannelAvailabilityChanged } from './events/channel-availability-changed.ts';
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

/** A SKU's stock per location (shards summed), as `GET /api/inventory/{sku}` reads it. */
export const skuStock = (sku: string) => readSkuStock(ports().positions, sku);

/** A stocking location's definition (type, address), or undefined. */
export const locationOf = (locationId: string) => ports().positions.getLocation(locationId);
