import type { Context } from 'aws-lambda';
import { eventHandler } from '#shared/event-handler';
import { watchAlerts } from './alert-events.ts';
import { projectKpis } from './kpi-events.ts';
import { sweep } from './sweep.ts';

/**
 * Oversight's one background function: every event of the `oversight-events` rule goes to the KPI
 * projection and to the alerts, and the 15-minute schedule runs the sweep. One function rather
 * than three: each function costs an output of the stateless stack, which is at its limit
 * (docs/decisions.md). Both parts are idempotent by construction (an event marker in the KPI
 * transaction; alert transitions conditional on state and cause time), so no per-event record.
 */
const onEvent = eventHandler(
  'oversight-events',
  async (event) => {
    await projectKpis(event);
    await watchAlerts(event);
  },
  { idempotent: false },
);

const isBusEvent = (payload: unknown): boolean =>
  typeof payload === 'object' && payload !== null && 'detail-type' in payload;

export async function handler(payload: unknown, context: Context) {
  return isBusEvent(payload) ? onEvent(payload, context) : sweep();
}
