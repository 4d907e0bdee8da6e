import { Conflict } from '#shared/errors';

/** Pack and ship refusals. Codes are the public interface: exactly as the issue names them. */

/** The scanned code is no unit of any line of the fulfillment. */
export class PackWrongItem extends Conflict {
  constructor(fulfillmentId: string, code: string) {
    super('WRONG_ITEM', `${code} is not a unit of fulfillment ${fulfillmentId}`, { fulfillmentId, code });
  }
}

/** Every picked unit of that SKU is in a package already. */
export class ExtraUnit extends Conflict {
  constructor(fulfillmentId: string, code: string, sku: string) {
    super('EXTRA_UNIT', `Every picked unit of ${sku} is packed already; ${code} is one too many`, {
      fulfillmentId,
      code,
      sku,
    });
  }
}

export class PackIncomplete extends Conflict {
  constructor(fulfillmentId: string, missing: { lineId: string; sku: string; missing: number }[]) {
    super(
      'PACK_INCOMPLETE',
      `Scan every unit before entering packages: ${missing.map((m) => `${m.missing} × ${m.sku}`).join(', ')} not scanned`,
      { fulfillmentId, missing },
    );
  }
}

export class NotPicked extends Conflict {
  constructor(fulfillmentId: string, status: string) {
    super('NOT_PICKED', `Fulfillment ${fulfillmentId} is ${status}; only a picked fulfillment is packed`, {
      fulfillmentId,
      status,
    });
  }
}

export class NotPacked extends Conflict {
  constructor(fulfillmentId: string, status: string) {
    super('NOT_PACKED', `Fulfillment ${fulfillmentId} is ${status}; only a packed fulfillment ships`, {
      fulfillmentId,
      status,
    });
  }
}

/** Packages were entered already (a different set than this request's). */
export class AlreadyPacked extends Conflict {
  constructor(fulfillmentId: string) {
    super('ALREADY_PACKED', `Fulfillment ${fulfillmentId} is packed already with other packages`, {
      fulfillmentId,
    });
  }
}

/** A cancel was asked (order cancelled, every unit shorted): nothing more is packed or shipped. */
export class FulfillmentCancelledConflict extends Conflict {
  constructor(fulfillmentId: string) {
    super('FULFILLMENT_CANCELLED', `Fulfillment ${fulfillmentId} is cancelled`, { fulfillmentId });
  }
}

/**
 * Thrown by the workflow's await step: the state machine catches it by this name and goes to
 * Cancel (a plain Error: the name is what Step Functions matches).
 */
export class FulfillmentCancelled extends Error {
  override name = 'FulfillmentCancelled';
  constructor(fulfillmentId: string) {
    super(`Fulfillment ${fulfillmentId} is to be cancelled`);
  }
}

/**
 * Thrown by the workflow's await step: an event the fulfillment owes is claimed by another
 * publisher that has not finished. The state's Retry runs the step again after the claim's lease,
 * when it is either out or stale (and then published by the retry).
 */
export class PublishInFlight extends Error {
  override name = 'PublishInFlight';
  constructor(fulfillmentId: string) {
    super(`Fulfillment ${fulfillmentId} has an event another publisher claimed and not yet published`);
  }
}
