import { z } from 'zod';
import { httpHandler, ok, requirePrincipal } from '#shared/http';
import { transferPorts } from '../adapters/transfer-wiring.ts';
import { receiveTransfer } from '../core/transfers.ts';
import { entityId } from '../schemas/inbound.ts';
import { receiveTransferBody } from '../schemas/transfers.ts';
import { transferView } from '../views/transfer-views.ts';

const ports = transferPorts();

/**
 * POST /api/transfers/{transferId}/receive `{ lines: [{ sku, quantity }] }`: what arrived, into
 * the destination's RECEIVING bin, variances recorded, TransferReceived; the same count again
 * answers the received transfer.
 */
export const handler = httpHandler(
  { params: z.object({ transferId: entityId }), body: receiveTransferBody },
  async ({ params, body, principal, correlationId }) => {
    const who = { actor: requirePrincipal(principal).username, correlationId };
    return ok(transferView(await receiveTransfer(ports, params.transferId, body, who)));
  },
);
