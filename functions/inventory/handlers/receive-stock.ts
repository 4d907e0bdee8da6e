import { created, httpHandler, ok, requirePrincipal } from '#shared/http';
import { inventoryPorts } from '../adapters/wiring.ts';
import { receiveStock } from '../core/stock-commands.ts';
import { receiptBody } from '../schemas/stock.ts';
import { positionItemView } from '../views/stock-views.ts';

const ports = inventoryPorts();

/** POST /api/inventory/receipts: units in (optionally off inTransit), one ledger movement. */
export const handler = httpHandler({ body: receiptBody }, async ({ body, principal, correlationId }) => {
  const actor = requirePrincipal(principal).username;
  const result = await receiveStock(ports, body, { actor, correlationId });
  const view = { movement: result.movement, position: positionItemView(result.position) };
  return result.applied ? created(view) : ok(view);
});
