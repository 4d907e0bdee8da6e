import { z } from 'zod';
import { httpHandler, ok, requirePrincipal } from '#shared/http';
import { transferPorts } from '../adapters/transfer-wiring.ts';
import { shipTransfer } from '../core/transfers.ts';
import { entityId } from '../schemas/inbound.ts';
import { shipTransferBody } from '../schemas/transfers.ts';
import { transferView } from '../views/transfer-views.ts';

const ports = transferPorts();

/**
 * POST /api/transfers/{transferId}/ship `{ expectedAt? }`: units leave the source, in transit at
 * the destination, TransferShipped; a repeat answers the shipped transfer; 409 INSUFFICIENT_STOCK.
 */
export const handler = httpHandler(
  { params: z.object({ transferId: entityId }), body: shipTransferBody },
  async ({ params, body, principal, correlationId }) => {
    const who = { actor: requirePrincipal(principal).username, correlationId };
    const out = await shipTransfer(
      ports,
      params.transferId,
      body?.expectedAt ? { expectedAt: body.expectedAt } : {},
      who,
    );
    return ok(transferView(out));
  },
);
