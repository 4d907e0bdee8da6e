import { z } from 'zod';
import { skuCode } from '#catalog/api';
import { MAX_QUANTITY } from '#shared/bounds';
import { locationId } from './stock.ts';

/** Reservation ids are chosen by the caller (an order id, a cart id) so a retry can reuse them. */
export const reservationId = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, 'letters, digits, ".", "_", ":" or "-"');

/** A transaction holds at most 100 items: the reservation record plus 99 positions. */
export const MAX_RESERVATION_LINES = 50;

export const reservationLine = z.object({
  sku: skuCode,
  locationId: locationId.optional(),
  quantity: z.number().int('whole units of the SKU').positive().max(MAX_QUANTITY),
  /** Allocation may use the SKU's listed substitutes when it is short. @default false */
  allowSubstitutes: z.boolean().optional(),
});
export type ReservationLine = z.infer<typeof reservationLine>;

export const reserveBody = z.object({
  reservationId,
  lines: z.array(reservationLine).min(1).max(MAX_RESERVATION_LINES),
  expiresAt: z.iso.datetime({ offset: true }).optional(),
});
export type ReserveBody = z.infer<typeof reserveBody>;

export const RESERVATION_STATUSES = ['open', 'released', 'consumed', 'expired'] as const;
export type ReservationStatus = (typeof RESERVATION_STATUSES)[number];
export type CloseAction = 'release' | 'consume' | 'expire';
export const CLOSED_STATUS: Record<CloseAction, Exclude<ReservationStatus, 'open'>> = {
  release: 'released',
  consume: 'consumed',
  expire: 'expired',
};

/** Where a line's units are held: one item of a position (a shard), possibly for a kit or a substitute. */
export interface Allocation {
  lineIndex: number;
  sku: string;
  locationId: string;
  shard: number;
  quantity: number;
  /** Set when the units are a component of this kit. */
  kitSku?: string;
  /** Set when a substitute stands in for the SKU the line asked for. */
  substituteFor?: string;
  /** Single-position reservations: the position version that recorded the hold. */
  version?: number;
}

export interface Reservation {
  reservationId: string;
  status: ReservationStatus;
  lines: ReservationLine[];
  allocations: Allocation[];
  expiresAt?: string;
  createdAt: string;
  actor: string;
  correlationId: string;
  via: 'single' | 'tx';
  closedAt?: string;
  closedBy?: string;
  closeReason?: string;
  /** Counts changes of an open record's allocations (short picks); closes are conditional on it. */
  revision?: number;
  /** Idempotency keys of the short picks applied to it. */
  shortPickKeys?: string[];
}
