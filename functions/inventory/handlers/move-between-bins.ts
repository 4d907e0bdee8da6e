import { created, httpHandler, ok, requirePrincipal } from '#shared/http';
import { inventoryPorts } from '../adapters/wiring.ts';
import { binStockOf, moveBetweenBins } from '../core/bins.ts';
import { binMoveBody } from '../schemas/bins.ts';

const ports = inventoryPorts();

/**
 * POST /api/inventory/bin-moves: units from one bin to another of one location, one ledger
 * movement (fromBinId/toBinId); a repeat of the key answers 200 with the first movement.
 */
export const handler = httpHandler({ body: binMoveBody }, async ({ body, principal, correlationId }) => {
  const actor = requirePrincipal(principal).username;
  const result = await moveBetweenBins(ports, body, { actor, correlationId });
  const view = {
    movement: result.movement,
    bins: (await binStockOf(ports, body.sku, body.locationId)).map((b) => ({
      binId: b.binId,
      quantity: b.quantity,
    })),
  };
  return result.applied ? created(view) : ok(view);
});
