import { z } from 'zod';
import { httpHandler, ok } from '#shared/http';
import { inventoryPorts } from '../adapters/wiring.ts';
import { binsAt } from '../core/bins.ts';
import { UnknownLocation } from '../errors.ts';
import { locationId } from '../schemas/stock.ts';

const ports = inventoryPorts();

/** GET /api/locations/{id}/bins: every bin (RECEIVING and STAGING always), walk order, with its contents. */
export const handler = httpHandler({ params: z.object({ id: locationId }) }, async ({ params }) => {
  if (!(await ports.positions.getLocation(params.id))) throw new UnknownLocation(params.id);
  return ok({ items: await binsAt(ports, params.id) });
});
