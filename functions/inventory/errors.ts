import { Conflict, DomainError, NotFound } from '#shared/errors';

export interface Shortage {
  sku: string;
  locationId?: string;
  requested: number;
  available: number;
}

/** 409 INSUFFICIENT_STOCK: nothing was reserved or changed. */
export class InsufficientStock extends Conflict {
  constructor(shortage: Shortage | Shortage[]) {
    const list = Array.isArray(shortage) ? shortage : [shortage];
    const first = list[0];
    const where = first?.locationId ? ` at ${first.locationId}` : '';
    super(
      'INSUFFICIENT_STOCK',
      first
        ? `Only ${first.available} of ${first.sku} available${where}, ${first.requested} requested`
        : 'Insufficient stock',
      Array.isArray(shortage) ? { shortages: list } : { ...first, shortages: list },
    );
  }
}

export class IdempotencyKeyReused extends Conflict {
  constructor(key: string) {
    super('IDEMPOTENCY_KEY_REUSED', `Idempotency key ${key} was already used for a different request`, {
      key,
    });
  }
}

export class UnknownSku extends NotFound {
  constructor(sku: string) {
    super('SKU', sku);
  }
}

export class UnknownLocation extends NotFound {
  constructor(locationId: string) {
    super('Location', locationId);
  }
}

export class UnknownReservation extends NotFound {
  constructor(id: string) {
    super('Reservation', id);
  }
}

export class KitHasNoStock extends DomainError {
  constructor(sku: string) {
    super(422, 'KIT_HAS_NO_STOCK', `${sku} is a kit: adjust its components instead`, { sku });
  }
}

/** The reservation was already closed another way (released vs consumed vs expired). */
export class ReservationClosed extends Conflict {
  constructor(id: string, status: string) {
    super('RESERVATION_CLOSED', `Reservation ${id} is already ${status}`, { reservationId: id, status });
  }
}

/** 409 QUANTITY_OUT_OF_RANGE: the write would take a bucket past MAX_BUCKET_UNITS; nothing was written. */
export class QuantityOutOfRange extends Conflict {
  constructor(input: {
    sku: string;
    locationId: string;
    field: string;
    current: number;
    delta: number;
    max: number;
  }) {
    super(
      'QUANTITY_OUT_OF_RANGE',
      `${input.field} of ${input.sku} at ${input.locationId} would exceed ${input.max} units (now ${input.current}, change +${input.delta})`,
      input,
    );
  }
}

/** Contention did not let a command through after many attempts; the caller may retry. */
export class TooMuchContention extends DomainError {
  constructor(what: string) {
    super(503, 'CONTENTION', `${what} met too much contention; retry shortly`);
  }
}

export class UnknownBin extends NotFound {
  constructor(locationId: string, binId: string) {
    super('Bin', `${binId} at ${locationId}`);
  }
}

export interface BinShortage {
  sku: string;
  locationId: string;
  binId: string;
  requested: number;
  available: number;
}

/** 409 BIN_SHORT: a bin would go below zero; nothing was written. */
export class BinShort extends Conflict {
  constructor(shortage: BinShortage) {
    super(
      'BIN_SHORT',
      `Only ${shortage.available} of ${shortage.sku} in bin ${shortage.binId} at ${shortage.locationId}, ${shortage.requested} requested`,
      shortage,
    );
  }
}

/** 409 PICKS_MISMATCH: the bins named for a consumption do not add up to what the reservation holds. */
export class PicksMismatch extends Conflict {
  constructor(
    reservationId: string,
    details: { sku: string; locationId: string; held: number; picked: number }[],
  ) {
    super(
      'PICKS_MISMATCH',
      `The picks for reservation ${reservationId} do not add up to the units it holds`,
      { reservationId, mismatches: details },
    );
  }
}

/** 409 SHORT_PICK_REFUSED: the reservation is not open, or holds fewer units of the SKU there. */
export class ShortPickRefused extends Conflict {
  constructor(reservationId: string, message: string, details?: Record<string, unknown>) {
    super('SHORT_PICK_REFUSED', message, { reservationId, ...details });
  }
}
