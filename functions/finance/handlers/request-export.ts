import { randomUUID } from 'node:crypto';
import { recordAuditFirst } from '#shared/audit';
import { createEvent, eventBridgePublisher } from '#shared/events';
import { accepted, httpHandler, requirePrincipal } from '#shared/http';
import { dynamoExportStore } from '../adapters/export-store.ts';
import { FinanceExportRequested } from '../events/export-requested.ts';
import { DATASETS, exportBody } from '../schemas/finance.ts';

const runs = dynamoExportStore();
const events = eventBridgePublisher();

/** POST /api/finance/exports { date, datasets? }: 202 { runId }; the export function writes the files. */
export const handler = httpHandler({ body: exportBody }, async ({ body, principal, correlationId }) => {
  const runId = randomUUID();
  const requestedBy = requirePrincipal(principal).username;
  const datasets = body.datasets ?? [...DATASETS];
  // The request is recorded before the run is announced: a run never starts unaudited.
  await recordAuditFirst();
  await runs.putRun({
    runId,
    date: body.date,
    datasets,
    status: 'requested',
    requestedAt: new Date().toISOString(),
    requestedBy,
  });
  await events.publish([
    createEvent(FinanceExportRequested, { runId, date: body.date, datasets, requestedBy }, { correlationId }),
  ]);
  return accepted({ runId });
});
