import { defineEvent } from '#shared/events';
import { closedData } from './reservation-payload.ts';

/** A reservation's units shipped and left onHand. */
export const ReservationConsumed = defineEvent({
  source: 'qm.inventory',
  detailType: 'ReservationConsumed',
  version: 1,
  data: closedData,
});
