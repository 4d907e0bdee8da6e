import { httpHandler, ok, requirePrincipal } from '#shared/http';
import { returnPorts } from '../adapters/wiring.ts';
import { retryRefund, returnView } from '../core/returns.ts';
import { returnIdParam } from '../schemas/returns.ts';

const ports = returnPorts();

/** POST /api/returns/{id}/refund/retry: a failed refund is requested again. */
export const handler = httpHandler(
  { params: returnIdParam },
  async ({ params, principal, correlationId }) => {
    const { ret } = await retryRefund(ports, params.id, { ...requirePrincipal(principal), correlationId });
    return ok(returnView(ret));
  },
);
