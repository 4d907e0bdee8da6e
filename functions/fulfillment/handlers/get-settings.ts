import { z } from 'zod';
import { httpHandler, ok } from '#shared/http';
import { fulfillmentPorts } from '../adapters/wiring.ts';
import { readSettings } from '../core/settings.ts';

const ports = fulfillmentPorts();

/** GET /api/fulfillment-settings/{locationId}: defaults filled in, the rate planning uses and how it was measured. */
export const handler = httpHandler(
  { params: z.object({ locationId: z.string().min(1).max(64) }) },
  async ({ params }) => ok(await readSettings(ports, params.locationId)),
);
