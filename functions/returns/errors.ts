import { Conflict, DomainError, NotFound } from '#shared/errors';

/** The returns context's domain errors; the kernel maps each to its status and stable body. */
export class ReturnNotFound extends NotFound {
  constructor(returnId: string) {
    super('Return', returnId);
  }
}

export class UnknownOrder extends DomainError {
  constructor(orderId: string) {
    super(422, 'UNKNOWN_ORDER', `Order ${orderId} was not found`, { orderId });
  }
}

export class UnknownReasonCode extends DomainError {
  constructor(codes: string[], allowed: readonly string[]) {
    super(422, 'UNKNOWN_REASON_CODE', `Reason code ${codes.join(', ')} is not in the configured list`, {
      codes,
      allowed,
    });
  }
}

export interface ShippedShortfall {
  sku: string;
  requested: number;
  shipped: number;
  alreadyReturned: number;
  returnable: number;
}

export class ExceedsShipped extends Conflict {
  constructor(lines: ShippedShortfall[]) {
    super(
      'EXCEEDS_SHIPPED',
      `More units than shipped minus already returned: ${lines.map((l) => `${l.sku} (${l.returnable} returnable, ${l.requested} requested)`).join(', ')}`,
      { lines },
    );
  }
}

export class ReturnConflict extends Conflict {
  constructor(returnId: string) {
    super('RETURN_CONFLICT', `Return ${returnId} exists with another request`, { returnId });
  }
}

export class SupervisorRequired extends DomainError {
  constructor(returnId: string, why: string[]) {
    super(
      403,
      'SUPERVISOR_REQUIRED',
      `Return ${returnId} needs a supervisor's approval (${why.join(', ')})`,
      {
        returnId,
        why,
      },
    );
  }
}

export class InvalidReturnState extends Conflict {
  constructor(code: string, returnId: string, status: string, message: string) {
    super(code, message, { returnId, status });
  }
}

export class ExceedsReceived extends Conflict {
  constructor(lines: { sku: string; requested: number; left: number }[]) {
    super(
      'EXCEEDS_RECEIVED',
      `More units than received and not yet inspected: ${lines.map((l) => `${l.sku} (${l.left} left, ${l.requested} given)`).join(', ')}`,
      { lines },
    );
  }
}

export class UnknownReturnedSku extends DomainError {
  constructor(skus: string[]) {
    super(422, 'UNKNOWN_SKU', `Not in the catalog: ${skus.join(', ')}`, { skus });
  }
}

export class UnknownReturnLocation extends DomainError {
  constructor(locationId: string) {
    super(422, 'UNKNOWN_LOCATION', `Location ${locationId} was not found`, { locationId });
  }
}
