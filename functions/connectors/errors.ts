import { Conflict, NotFound } from '#shared/errors';

export class ChannelNotFound extends NotFound {
  constructor(channelId: string) {
    super('Channel', channelId);
  }
}

/** The channel has no connection we can push with (no token, no API origin, or a type we do not write). */
export class ChannelNotConnected extends Conflict {
  constructor(channelId: string, why: string) {
    super('CHANNEL_NOT_CONNECTED', `Channel ${channelId} cannot be synced: ${why}`, { channelId });
  }
}

/** The location is not a 3PL we can reach (no connection, or not a 3pl location). */
export class ThreePLNotConnected extends Conflict {
  constructor(locationId: string, why: string) {
    super('THREEPL_NOT_CONNECTED', `Location ${locationId} cannot take 3PL orders: ${why}`, { locationId });
  }
}

/** A 3PL webhook names an order we never handed to that 3PL: answered 409 so the 3PL retries. */
export class UnknownThreePLReference extends Conflict {
  constructor(locationId: string, referenceId: string) {
    super('UNKNOWN_REFERENCE', `No order ${referenceId} was handed to 3PL ${locationId}`, {
      locationId,
      referenceId,
    });
  }
}

/** Another delivery of the same shipment is publishing it: answered 409 so the 3PL retries. */
export class ShipmentInProgress extends Conflict {
  constructor(referenceId: string) {
    super('SHIPMENT_IN_PROGRESS', `The shipment of ${referenceId} is being recorded; retry shortly`, {
      referenceId,
    });
  }
}

export class ReconciliationNotFound extends NotFound {
  constructor(id: string) {
    super('Reconciliation', id);
  }
}
