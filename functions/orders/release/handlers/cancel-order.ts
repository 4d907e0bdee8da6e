import { z } from 'zod';
import { httpHandler, ok, requirePrincipal } from '#shared/http';
import { releasePorts } from '../adapters/wiring.ts';
import { cancelOrder } from '../core/operator-commands.ts';

const ports = releasePorts();

/** POST /api/orders/{id}/cancel: ops cancellation at any point before shipping. */
export const handler = httpHandler(
  {
    params: z.object({ id: z.string().min(1).max(64) }),
    body: z.object({ reason: z.string().min(1).max(500).optional() }).optional(),
  },
  async ({ params, body, principal, correlationId }) => {
    const actor = requirePrincipal(principal).username;
    const result = await cancelOrder(
      ports,
      params.id,
      { source: 'ops', actor, ...(body?.reason ? { reason: body.reason } : {}) },
      { correlationId },
    );
    return ok(result);
  },
);
