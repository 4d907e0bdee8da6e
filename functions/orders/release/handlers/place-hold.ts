import { z } from 'zod';
import { created, httpHandler, requirePrincipal } from '#shared/http';
import { releasePorts } from '../adapters/wiring.ts';
import { placeHold } from '../core/operator-commands.ts';

const ports = releasePorts();

/** POST /api/orders/{id}/holds: customer service holds an order that is not yet allocated. */
export const handler = httpHandler(
  {
    params: z.object({ id: z.string().min(1).max(64) }),
    body: z.object({ reason: z.string().min(1).max(500) }),
  },
  async ({ params, body, principal, correlationId }) => {
    const actor = requirePrincipal(principal).username;
    return created(await placeHold(ports, params.id, { reason: body.reason, actor }, { correlationId }));
  },
);
