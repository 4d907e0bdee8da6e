import { z } from 'zod';
import { httpHandler, ok } from '#shared/http';
import { inventoryPorts } from '../adapters/wiring.ts';
import { UnknownReservation } from '../errors.ts';
import { reservationId } from '../schemas/reservation.ts';
import { reservationView } from '../views/stock-views.ts';

const { reservations } = inventoryPorts();

/** GET /api/reservations/{id}. */
export const handler = httpHandler({ params: z.object({ id: reservationId }) }, async ({ params }) => {
  const found = await reservations.get(params.id);
  if (!found) throw new UnknownReservation(params.id);
  return ok(reservationView(found));
});
