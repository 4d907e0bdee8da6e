import { z } from 'zod';
import { httpHandler, ok, requirePrincipal } from '#shared/http';
import { inventoryPorts } from '../adapters/wiring.ts';
import { closeReservation } from '../core/close-reservation.ts';
import { reservationId } from '../schemas/reservation.ts';
import { reservationView } from '../views/stock-views.ts';

const ports = inventoryPorts();

/** POST /api/reservations/{id}/consume: the units shipped; they leave onHand with the reservation. */
export const handler = httpHandler(
  { params: z.object({ id: reservationId }) },
  async ({ params, principal, correlationId }) => {
    const actor = requirePrincipal(principal).username;
    const result = await closeReservation(ports, params.id, 'consume', { actor, correlationId });
    return ok(reservationView(result.reservation));
  },
);
