import { z } from 'zod';
import { httpHandler, ok, requirePrincipal } from '#shared/http';
import { entityId } from '../../schemas/inbound.ts';
import { countPorts } from '../adapters/wiring.ts';
import { rejectVariance } from '../core/counts.ts';
import { decisionBody } from '../schemas.ts';

const ports = countPorts();

/**
 * POST /api/count-variances/{id}/reject `{ reason }` → the variance rejected: stock is not touched.
 */
export const handler = httpHandler(
  { params: z.object({ id: entityId }), body: decisionBody },
  async ({ params, body, principal, correlationId }) => {
    const who = { actor: requirePrincipal(principal).username, correlationId };
    return ok(await rejectVariance(ports, params.id, body.reason, who));
  },
);
