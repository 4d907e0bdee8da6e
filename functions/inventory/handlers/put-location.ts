import { z } from 'zod';
import { created, httpHandler, ok } from '#shared/http';
import { secretStore } from '#shared/secrets';
import { inventoryPorts } from '../adapters/wiring.ts';
import { locationView, putLocation } from '../core/locations.ts';
import { locationId, putLocationBody } from '../schemas/stock.ts';

const { positions } = inventoryPorts();
const secrets = secretStore();

/** PUT /api/locations/{id}: a 3PL's connection secrets go to the secret store and are never returned. */
export const handler = httpHandler(
  { params: z.object({ id: locationId }), body: putLocationBody },
  async ({ params, body }) => {
    const out = await putLocation({ positions, secrets, clock: () => new Date() }, params.id, body);
    const view = locationView(out.location);
    return out.created ? created(view) : ok(view);
  },
);
