import { z } from 'zod';
import { httpHandler, ok, requirePrincipal } from '#shared/http';
import { receivingPorts } from '../adapters/wiring.ts';
import { scanReceipt } from '../core/receiving.ts';
import { entityId } from '../schemas/inbound.ts';
import { scanBody } from '../schemas/receiving.ts';

const ports = receivingPorts();

/**
 * POST /api/receipts/{asnId}/scans `{ code, quantity?, condition?, scanId? }` → 200
 * `{ lines: [{ sku, expected, received }] }`; 409 NOT_ON_ASN, OVER_RECEIPT, RECEIPT_CLOSED.
 */
export const handler = httpHandler(
  { params: z.object({ asnId: entityId }), body: scanBody },
  async ({ params, body, principal, correlationId }) => {
    const who = { actor: requirePrincipal(principal).username, correlationId };
    return ok(await scanReceipt(ports, params.asnId, body, who));
  },
);
