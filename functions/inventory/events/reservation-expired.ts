import { defineEvent } from '#shared/events';
import { closedData } from './reservation-payload.ts';

/** A hold passed its expiry and the sweeper gave its units back. */
export const ReservationExpired = defineEvent({
  source: 'qm.inventory',
  detailType: 'ReservationExpired',
  version: 1,
  data: closedData,
});
