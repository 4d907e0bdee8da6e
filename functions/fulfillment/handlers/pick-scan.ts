import { z } from 'zod';
import { MAX_QUANTITY } from '#shared/bounds';
import { httpHandler, ok, requirePrincipal } from '#shared/http';
import { fulfillmentPorts } from '../adapters/wiring.ts';
import { scan } from '../core/picking.ts';

const ports = fulfillmentPorts();

/** POST /api/pick-tasks/{taskId}/scans: the bin first, then units; refusals record nothing. */
export const handler = httpHandler(
  {
    params: z.object({ taskId: z.string().min(1).max(160) }),
    body: z.object({
      code: z.string().min(1).max(128),
      quantity: z.number().int().positive().max(MAX_QUANTITY).optional(),
      scanId: z.string().min(1).max(128).optional(),
    }),
  },
  async ({ params, body, principal, correlationId }) => {
    const actor = requirePrincipal(principal).username;
    return ok(await scan(ports, params.taskId, body, { actor, correlationId }));
  },
);
