import { created, httpHandler, ok, requirePrincipal } from '#shared/http';
import { countPorts } from '../adapters/wiring.ts';
import { createCycleCount } from '../core/counts.ts';
import { createCountBody } from '../schemas.ts';

const ports = countPorts();

/**
 * POST /api/cycle-counts `{ locationId, binIds? | class? }` → `{ tasks: [{ taskId, binId, created }] }`:
 * 201 when a task was created, 200 when every bin already had its open task (a retry).
 */
export const handler = httpHandler({ body: createCountBody }, async ({ body, principal, correlationId }) => {
  const who = { actor: requirePrincipal(principal).username, correlationId };
  const out = await createCycleCount(ports, body, who);
  return out.tasks.some((t) => t.created) ? created(out) : ok(out);
});
