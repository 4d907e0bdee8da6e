import { defineEvent } from '#shared/events';
import { reservationData } from './reservation-payload.ts';

/** Units were reserved for a reservation id (all of its lines, atomically). */
export const StockReserved = defineEvent({
  source: 'qm.inventory',
  detailType: 'StockReserved',
  version: 1,
  data: reservationData,
});
