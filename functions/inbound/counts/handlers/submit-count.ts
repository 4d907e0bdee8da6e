import { z } from 'zod';
import { httpHandler, ok, requirePrincipal } from '#shared/http';
import { entityId } from '../../schemas/inbound.ts';
import { countPorts } from '../adapters/wiring.ts';
import { submitCount } from '../core/counts.ts';
import { submitCountBody } from '../schemas.ts';

const ports = countPorts();

/**
 * POST /api/count-tasks/{taskId}/submit `{ counts: [{ sku, quantity }] }` → the submitted task
 * (blind); the same again answers the same, other counts 409 COUNT_ALREADY_SUBMITTED.
 */
export const handler = httpHandler(
  { params: z.object({ taskId: entityId }), body: submitCountBody },
  async ({ params, body, principal, correlationId }) => {
    const who = { actor: requirePrincipal(principal).username, correlationId };
    return ok(await submitCount(ports, params.taskId, body.counts, who));
  },
);
