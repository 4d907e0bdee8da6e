import { httpHandler, ok, requirePrincipal } from '#shared/http';
import { returnPorts } from '../adapters/wiring.ts';
import { receiveReturn, returnView } from '../core/returns.ts';
import { receiptBody, returnIdParam } from '../schemas/returns.ts';

const ports = returnPorts();

/** POST /api/returns/{id}/receipts { locationId, lines }: the dock's count of the RMA's parcel. */
export const handler = httpHandler(
  { params: returnIdParam, body: receiptBody },
  async ({ params, body, principal, correlationId }) => {
    const { ret } = await receiveReturn(ports, params.id, body, {
      ...requirePrincipal(principal),
      correlationId,
    });
    return ok(returnView(ret));
  },
);
