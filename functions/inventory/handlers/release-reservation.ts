import { z } from 'zod';
import { httpHandler, ok, requirePrincipal } from '#shared/http';
import { inventoryPorts } from '../adapters/wiring.ts';
import { closeReservation } from '../core/close-reservation.ts';
import { reservationId } from '../schemas/reservation.ts';
import { reservationView } from '../views/stock-views.ts';

const ports = inventoryPorts();

/** DELETE /api/reservations/{id}: releases the units; releasing again answers the released reservation. */
export const handler = httpHandler(
  { params: z.object({ id: reservationId }) },
  async ({ params, principal, correlationId }) => {
    const actor = requirePrincipal(principal).username;
    const result = await closeReservation(ports, params.id, 'release', { actor, correlationId });
    return ok(reservationView(result.reservation));
  },
);
