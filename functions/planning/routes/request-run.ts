import { createHash, randomUUID } from 'node:crypto';
import { recordAuditFirst } from '#shared/audit';
import { derivedEvent, eventBridgePublisher } from '#shared/events';
import { accepted, httpHandler, requirePrincipal } from '#shared/http';
import { dynamoPlanningStore } from '../adapters/planning-store.ts';
import { PlanningRunRequested } from '../events/planning-run-requested.ts';
import { DEFAULT_HORIZON_DAYS, runBody } from '../schemas/planning.ts';

const store = dynamoPlanningStore();
const events = eventBridgePublisher();

/**
 * POST /api/planning/runs `{ horizonDays?, asOf? }` → 202 `{ runId }`; the run function plans.
 * With an `Idempotency-Key` header the run id derives from it, so a retried request answers the
 * same run and re-announces it with the same event id (the run function acts on it once).
 */
export const requestRun = httpHandler(
  { body: runBody },
  async ({ body, principal, event, correlationId }) => {
    const requestedBy = requirePrincipal(principal).username;
    const key = event.headers?.['idempotency-key'];
    const runId = key
      ? createHash('sha256').update(`${requestedBy}\n${key}`).digest('hex').slice(0, 32)
      : randomUUID();
    const asOf = body?.asOf ?? new Date().toISOString().slice(0, 10);
    const horizonDays = body?.horizonDays ?? DEFAULT_HORIZON_DAYS;
    const requestedAt = new Date().toISOString();
    const announced = derivedEvent(
      PlanningRunRequested,
      { runId, asOf, horizonDays, requestedBy },
      `run#${runId}`,
      requestedAt,
      correlationId,
    );
    // Recorded before it is announced: a run never starts unaudited. Announced before it is
    // listed: a failed publish leaves no run that will never start (the client retries).
    await recordAuditFirst();
    await events.publish([announced]);
    await store.putRequestedRun({ runId, asOf, horizonDays, status: 'requested', requestedAt, requestedBy });
    return accepted({ runId });
  },
);
