import { z } from 'zod';
import { httpHandler, ok, requirePrincipal } from '#shared/http';
import { putawayPorts } from '../adapters/wiring.ts';
import { confirmPutaway } from '../core/putaway.ts';
import { entityId } from '../schemas/inbound.ts';
import { confirmPutawayBody } from '../schemas/putaway.ts';

const ports = putawayPorts();

/**
 * POST /api/putaway-tasks/{taskId}/confirm `{ binCode }` → the done task (`binId`, `putAwayAt`,
 * `dockToStockSeconds`), the same on a repeat; 409 BIN_FULL, BIN_BUSY, UNKNOWN_BIN,
 * NOT_A_STORAGE_BIN.
 */
export const handler = httpHandler(
  { params: z.object({ taskId: entityId }), body: confirmPutawayBody },
  async ({ params, body, principal, correlationId }) => {
    const who = { actor: requirePrincipal(principal).username, correlationId };
    return ok(await confirmPutaway(ports, params.taskId, body.binCode, who));
  },
);
