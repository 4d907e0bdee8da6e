import { created, httpHandler, ok, requirePrincipal } from '#shared/http';
import { inventoryPorts } from '../adapters/wiring.ts';
import { moveStock } from '../core/stock-commands.ts';
import { moveBody } from '../schemas/stock.ts';
import { positionItemView } from '../views/stock-views.ts';

const ports = inventoryPorts();

/** POST /api/inventory/moves: a status move between buckets as one conditional write. */
export const handler = httpHandler({ body: moveBody }, async ({ body, principal, correlationId }) => {
  const actor = requirePrincipal(principal).username;
  const result = await moveStock(ports, body, { actor, correlationId });
  const view = { movement: result.movement, position: positionItemView(result.position) };
  return result.applied ? created(view) : ok(view);
});
