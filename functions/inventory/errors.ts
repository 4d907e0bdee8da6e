import { Conflict, DomainError, NotFound } from '#shared/errors';

export class InsufficientStock extends Conflict {
  constructor(details: { sku: string; locationId: string; requested: number; available: number }) {
    super('INSUFFICIENT_STOCK', `Only ${details.available} of ${details.sku} available at ${details.locationId}`, details);
  }
}

export class IdempotencyKeyReused extends Conflict {
  constructor(key: string) {
    super('IDEMPOTENCY_KEY_REUSED', `Idempotency key ${key} was already used for a different request`, { key });
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

export class KitHasNoStock extends DomainError {
  constructor(sku: string) {
    super(422, 'KIT_HAS_NO_STOCK', `${sku} is a kit: adjust its components instead`, { sku });
  }
}

/** Optimistic concurrency: the position changed between read and write; the caller retries. */
export class PositionChanged extends Error {
  constructor() {
    super('Stock position changed concurrently');
    this.name = 'PositionChanged';
  }
}
