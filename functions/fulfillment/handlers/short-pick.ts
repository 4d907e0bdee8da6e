import { z } from 'zod';
import { MAX_QUANTITY } from '#shared/bounds';
import { httpHandler, ok, requirePrincipal } from '#shared/http';
import { fulfillmentPorts } from '../adapters/wiring.ts';
import { shortPick } from '../core/picking.ts';

const ports = fulfillmentPorts();

/** POST /api/pick-tasks/{taskId}/short: the units found are picked, the rest written off and re-released. */
export const handler = httpHandler(
  {
    params: z.object({ taskId: z.string().min(1).max(160) }),
    body: z.object({
      quantityFound: z.number().int().min(0).max(MAX_QUANTITY),
      reason: z.string().min(1).max(500),
    }),
  },
  async ({ params, body, principal, correlationId }) => {
    const actor = requirePrincipal(principal).username;
    return ok(await shortPick(ports, params.taskId, body, { actor, correlationId }));
  },
);
