import { created, httpHandler, ok, requirePrincipal } from '#shared/http';
import { inventoryPorts } from '../adapters/wiring.ts';
import { adjustStock } from '../core/stock-commands.ts';
import { adjustmentBody } from '../schemas/stock.ts';
import { positionItemView } from '../views/stock-views.ts';

const ports = inventoryPorts();

/** POST /api/inventory/adjustments: one conditional write, one ledger movement; a repeat answers 200. */
export const handler = httpHandler({ body: adjustmentBody }, async ({ body, principal, correlationId }) => {
  const actor = requirePrincipal(principal).username;
  const result = await adjustStock(ports, body, { actor, correlationId });
  const view = { movement: result.movement, position: positionItemView(result.position) };
  return result.applied ? created(view) : ok(view);
});
