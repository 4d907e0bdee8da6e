import { httpHandler, ok, requirePrincipal } from '#shared/http';
import { returnPorts } from '../adapters/wiring.ts';
import { inspectReturn, returnView } from '../core/returns.ts';
import { inspectionBody, returnIdParam } from '../schemas/returns.ts';

const ports = returnPorts();

/** POST /api/returns/{id}/inspections { inspectionId?, lines: [{ sku, quantity, disposition }] } */
export const handler = httpHandler(
  { params: returnIdParam, body: inspectionBody },
  async ({ params, body, principal, correlationId }) => {
    const { ret } = await inspectReturn(ports, params.id, body, {
      ...requirePrincipal(principal),
      correlationId,
    });
    return ok(returnView(ret));
  },
);
