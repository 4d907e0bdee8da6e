import { Conflict, DomainError } from '#shared/errors';

export class AlertNotFound extends DomainError {
  constructor(alertId: string) {
    super(404, 'ALERT_NOT_FOUND', `Alert ${alertId} was not found`, { alertId });
  }
}

/** Only an open alert can be acknowledged; a cleared one needs no one. */
export class AlertNotOpen extends Conflict {
  constructor(alertId: string) {
    super('ALERT_NOT_OPEN', `Alert ${alertId} is already cleared`, { alertId });
  }
}
