import { z } from 'zod';
import { httpHandler, ok } from '#shared/http';
import { inventoryPorts } from '../adapters/wiring.ts';
import { locationView } from '../core/locations.ts';
import { UnknownLocation } from '../errors.ts';
import { locationId } from '../schemas/stock.ts';

const { positions } = inventoryPorts();

/** GET /api/locations/{id}: one stocking location's definition (its stock: GET /api/inventory?locationId=). */
export const handler = httpHandler({ params: z.object({ id: locationId }) }, async ({ params }) => {
  const location = await positions.getLocation(params.id);
  if (!location) throw new UnknownLocation(params.id);
  return ok(locationView(location));
});
