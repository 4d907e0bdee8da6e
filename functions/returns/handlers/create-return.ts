import { created, httpHandler, ok, requirePrincipal } from '#shared/http';
import { returnPorts } from '../adapters/wiring.ts';
import { requestReturn, returnView } from '../core/returns.ts';
import { createReturnBody } from '../schemas/returns.ts';

const ports = returnPorts();

/** POST /api/returns: 201 a new return (its status), 200 the same return on a repeat. */
export const handler = httpHandler({ body: createReturnBody }, async ({ body, principal, correlationId }) => {
  const p = requirePrincipal(principal);
  const { created: isNew, ret } = await requestReturn(ports, body, { ...p, correlationId });
  return (isNew ? created : ok)(returnView(ret));
});
