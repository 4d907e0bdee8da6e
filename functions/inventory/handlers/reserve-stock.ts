import { created, httpHandler, requirePrincipal } from '#shared/http';
import { inventoryPorts } from '../adapters/wiring.ts';
import { reserveStock } from '../core/reserve-stock.ts';
import { reserveBody } from '../schemas/reservation.ts';
import { reservationView } from '../views/stock-views.ts';

const ports = inventoryPorts();

/**
 * POST /api/reservations: 201 with the reservation, or 409 INSUFFICIENT_STOCK with nothing
 * reserved. The same reservationId again answers the first outcome (201 and the same body).
 */
export const handler = httpHandler({ body: reserveBody }, async ({ body, principal, correlationId }) => {
  const actor = requirePrincipal(principal).username;
  const result = await reserveStock(ports, body, { actor, correlationId });
  return {
    ...created(reservationView(result.reservation)),
    ...(result.replayed ? { headers: { 'x-replayed': 'true' } } : {}),
  };
});
