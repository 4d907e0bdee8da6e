import { z } from 'zod';
import { created, httpHandler, ok, requirePrincipal } from '#shared/http';
import { fulfillmentPorts } from '../adapters/wiring.ts';
import { MAX_ORDERS_PER_WAVE } from '../core/settings.ts';
import { planNextWave } from '../core/waves.ts';

const ports = fulfillmentPorts();

/** POST /api/waves: plans the location's next wave (201), or answers `waveId: null` when nothing is ready. */
export const handler = httpHandler(
  {
    body: z.object({
      locationId: z.string().min(1).max(64),
      maxOrders: z.number().int().min(1).max(MAX_ORDERS_PER_WAVE).optional(),
    }),
  },
  async ({ body, principal, correlationId }) => {
    const actor = requirePrincipal(principal).username;
    const wave = await planNextWave(
      ports,
      body.locationId,
      body.maxOrders === undefined ? {} : { maxOrders: body.maxOrders },
      { actor, correlationId },
    );
    return wave.waveId ? created(wave) : ok(wave);
  },
);
