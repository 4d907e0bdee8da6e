import { created, httpHandler, requirePrincipal } from '#shared/http';
import { releasePorts } from '../adapters/wiring.ts';
import { putRoutingRulesBody } from '../schemas.ts';

const { rulesStore } = releasePorts();

/** PUT /api/routing-rules: saves a new version of the routing rules and makes it active. */
export const handler = httpHandler({ body: putRoutingRulesBody }, async ({ body, principal }) => {
  const stored = await rulesStore.put({
    rules: body.rules,
    by: requirePrincipal(principal).username,
    at: new Date().toISOString(),
    ...(body.note ? { note: body.note } : {}),
    ...(body.expectedVersion === undefined ? {} : { expectedVersion: body.expectedVersion }),
  });
  return created(stored);
});
