import { z } from 'zod';
import { httpHandler, ok, requirePrincipal } from '#shared/http';
import { fulfillmentPorts } from '../adapters/wiring.ts';
import { putSettings, settingsBody } from '../core/settings.ts';

const ports = fulfillmentPorts();

/** PUT /api/fulfillment-settings/{locationId}: only the fields given change; the measured pick rate is kept. */
export const handler = httpHandler(
  { params: z.object({ locationId: z.string().min(1).max(64) }), body: settingsBody },
  async ({ params, body, principal }) => {
    const by = requirePrincipal(principal).username;
    return ok(await putSettings(ports, params.locationId, body, by));
  },
);
