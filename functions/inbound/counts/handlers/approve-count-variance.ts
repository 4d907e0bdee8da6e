import { z } from 'zod';
import { recordAuditFirst } from '#shared/audit';
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
    // The approval spans two contexts' writes (the variance here, the ledger in inventory) and is
    // undone when inventory refuses: its record is written first (`requested`), so the trail ends
    // `succeeded` or `rejected` with the answer rather than with the first write.
    await recordAuditFirst();
    return ok(await approveVariance(ports, params.id, body.reason, who));
  },
);
