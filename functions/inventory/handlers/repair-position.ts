import { httpHandler, ok, requirePrincipal } from '#shared/http';
import { inventoryPorts } from '../adapters/wiring.ts';
import { repairPosition } from '../core/repair-position.ts';
import { repairBody } from '../schemas/stock.ts';

const ports = inventoryPorts();

/** POST /api/inventory/repairs: correcting ledger movements for a position, with an audit reason. */
export const handler = httpHandler({ body: repairBody }, async ({ body, principal, correlationId }) => {
  const actor = requirePrincipal(principal).username;
  const result = await repairPosition(ports, body, { actor, correlationId });
  return ok({ sku: body.sku, locationId: body.locationId, repairs: result.repairs });
});
