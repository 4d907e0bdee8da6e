import { defineEvent } from '#shared/events';
import { closedData } from './reservation-payload.ts';

/** A reservation's units went back to available (cancelled order, abandoned cart). */
export const ReservationReleased = defineEvent({
  source: 'qm.inventory',
  detailType: 'ReservationReleased',
  version: 1,
  data: closedData,
});
