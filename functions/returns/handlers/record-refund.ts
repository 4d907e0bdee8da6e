import { httpHandler, ok, requirePrincipal } from '#shared/http';
import { returnPorts } from '../adapters/wiring.ts';
import { recordRefund, returnView } from '../core/returns.ts';
import { refundOutcomeBody, returnIdParam } from '../schemas/returns.ts';

const ports = returnPorts();

/** POST /api/returns/{id}/refund { status: issued|failed, reference?, message? }: the channel's outcome. */
export const handler = httpHandler(
  { params: returnIdParam, body: refundOutcomeBody },
  async ({ params, body, principal, correlationId }) => {
    const { ret } = await recordRefund(ports, params.id, body, {
      ...requirePrincipal(principal),
      correlationId,
    });
    return ok(returnView(ret));
  },
);
