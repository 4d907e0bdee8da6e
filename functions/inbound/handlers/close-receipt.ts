import { z } from 'zod';
import { httpHandler, ok, requirePrincipal } from '#shared/http';
import { receivingPorts } from '../adapters/wiring.ts';
import { closeReceipt } from '../core/receiving.ts';
import { entityId } from '../schemas/inbound.ts';

const ports = receivingPorts();

/** POST /api/receipts/{asnId}/close → `{ exceptions: [{ type, sku, quantity }] }`, the same on a repeat. */
export const handler = httpHandler(
  { params: z.object({ asnId: entityId }) },
  async ({ params, principal, correlationId }) => {
    const who = { actor: requirePrincipal(principal).username, correlationId };
    return ok(await closeReceipt(ports, params.asnId, who));
  },
);
