import { z } from 'zod';
import { httpHandler, ok, requirePrincipal } from '#shared/http';
import { entityId } from '../../schemas/inbound.ts';
import { countPorts } from '../adapters/wiring.ts';
import { approveVariance } from '../core/counts.ts';
import { decisionBody } from '../schemas.ts';

const ports = countPorts();

/**
 * POST /api/count-variances/{id}/approve `{ reason }` → the variance posted to the ledger
 * (CountVariancePosted); approving again changes nothing and answers the same.
 */
export const handler = httpHandler(
  { params: z.object({ id: entityId }), body: decisionBody },
  async ({ params, body, principal, correlationId }) => {
    const who = { actor: requirePrincipal(principal).username, correlationId };
    return ok(await approveVariance(ports, params.id, body.reason, who));
  },
);
