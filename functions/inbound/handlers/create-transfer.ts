import { created, httpHandler, ok, requirePrincipal } from '#shared/http';
import { transferPorts } from '../adapters/transfer-wiring.ts';
import { createTransfer } from '../core/transfers.ts';
import { createTransferBody } from '../schemas/transfers.ts';
import { transferView } from '../views/transfer-views.ts';

const ports = transferPorts();

/** POST /api/transfers: a transfer between two locations; 201 new, 200 the same again, 409 TRANSFER_CONFLICT. */
export const handler = httpHandler(
  { body: createTransferBody },
  async ({ body, principal, correlationId }) => {
    const out = await createTransfer(ports, body, {
      actor: requirePrincipal(principal).username,
      correlationId,
    });
    return out.created ? created(transferView(out.transfer)) : ok(transferView(out.transfer));
  },
);
