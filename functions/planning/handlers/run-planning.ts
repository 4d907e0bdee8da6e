import { eventHandler } from '#shared/event-handler';
import { planningPorts } from '../adapters/wiring.ts';
import { executeRun } from '../core/run.ts';
import { PlanningRunRequested } from '../events/planning-run-requested.ts';

const ports = planningPorts();

/** PlanningRunRequested → forecasts, backtest, suggestions and at-risk changes of the run. */
export const handler = eventHandler('planning-run', async (event) => {
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
