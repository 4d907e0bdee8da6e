import { z } from 'zod';
import { accepted, httpHandler, requirePrincipal } from '#shared/http';
import { releasePorts } from '../adapters/wiring.ts';
import { retryFailedOrder } from '../core/operator-commands.ts';

const ports = releasePorts();

/** POST /api/orders/{id}/retry: a failed order goes through release again (202: it runs now). */
export const handler = httpHandler(
  {
    params: z.object({ id: z.string().min(1).max(64) }),
    body: z.object({ note: z.string().max(500).optional() }).optional(),
  },
  async ({ params, body, principal, correlationId }) => {
    const actor = requirePrincipal(principal).username;
    return accepted(
      await retryFailedOrder(
        ports,
        params.id,
        { actor, ...(body?.note ? { note: body.note } : {}) },
        { correlationId },
      ),
    );
  },
);
