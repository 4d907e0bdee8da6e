import { httpHandler, ok, requirePrincipal } from '#shared/http';
import { returnPorts } from '../adapters/wiring.ts';
import { approveReturn, returnView } from '../core/returns.ts';
import { decisionBody, returnIdParam } from '../schemas/returns.ts';

const ports = returnPorts();

/** POST /api/returns/{id}/approve { reason } */
export const handler = httpHandler(
  { params: returnIdParam, body: decisionBody },
  async ({ params, body, principal, correlationId }) => {
    const { ret } = await approveReturn(ports, params.id, body.reason, {
      ...requirePrincipal(principal),
      correlationId,
    });
    return ok(returnView(ret));
  },
);
