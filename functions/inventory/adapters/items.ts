import { withoutKeys } from '#shared/table';
import { inventoryKeys } from '../keys.ts';
import type { Reservation } from '../schemas/reservation.ts';
import type { Movement, StockPosition } from '../schemas/stock.ts';

/**
 * Item ↔ domain mapping for inventory entities. Position items without a `shard` attribute were
 * written before sharding existed: they are shard 0.
 */
export function toPosition(item: Record<string, unknown>): StockPosition {
  const p = withoutKeys(item) as unknown as StockPosition;
  return { ...p, shard: p.shard ?? 0, holds: p.holds ?? {}, done: p.done ?? {} };
}

export function movementItem(m: Movement): Record<string, unknown> {
  return {
    ...inventoryKeys.movement(m.movementId),
    ...inventoryKeys.movementIndex(m),
    entity: 'Movement',
    ...m,
  };
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

export const toReservation = (item: Record<string, unknown>): Reservation =>
  withoutKeys(item) as unknown as Reservation;

/** Entity discriminator values this context writes. */
export const ENTITY = {
  position: 'StockPosition',
  movement: 'Movement',
  reservation: 'Reservation',
} as const;
