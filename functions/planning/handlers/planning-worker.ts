import { eventHandler } from '#shared/event-handler';
import { learnFrom } from '../adapters/inputs.ts';
import { planningPorts } from '../adapters/wiring.ts';
import { executeRun } from '../core/run.ts';
import { PlanningRunRequested } from '../events/planning-run-requested.ts';

const ports = planningPorts();

/**
 * Planning's one event target (one function, not two: see docs/decisions.md on the stateless
 * stack's outputs). PlanningRunRequested → the run; shipments, backorders and PO events →
 * demand history and supplier figures. Once per event (the wrapper's idempotency record), since
 * shipments and receipts add up.
 */
export const handler = eventHandler('planning', async (event) => {
  if (event['detail-type'] !== PlanningRunRequested.detailType) return learnFrom(event);
  const data = PlanningRunRequested.data.parse(event.detail.data);
  await executeRun(ports, {
    runId: data.runId,
    asOf: data.asOf,
    horizonDays: data.horizonDays,
    status: 'requested',
    requestedAt: event.detail.metadata.occurredAt,
    requestedBy: data.requestedBy,
  });
});
