import { z } from 'zod';
import { created, httpHandler, ok } from '#shared/http';
import { inventoryPorts } from '../adapters/wiring.ts';
import { locationId, putLocationBody } from '../schemas/stock.ts';

const { positions } = inventoryPorts();

export const handler = httpHandler(
  { params: z.object({ id: locationId }), body: putLocationBody },
  async ({ params, body }) => {
    const previous = await positions.getLocation(params.id);
    const now = new Date().toISOString();
    const location = {
      ...body,
      locationId: params.id,
      createdAt: previous?.createdAt ?? now,
      updatedAt: now,
    };
    await positions.putLocation(location);
    return previous ? ok(location) : created(location);
  },
);
