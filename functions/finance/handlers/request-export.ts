import { randomUUID } from 'node:crypto';
import { recordAuditFirst } from '#shared/audit';
import { createEvent, eventBridgePublisher } from '#shared/events';
import { accepted, httpHandler, requirePrincipal } from '#shared/http';
import { dynamoExportStore } from '../adapters/export-store.ts';
import { DATASET_NAMES } from '../core/datasets.ts';
import { FinanceExportRequested } from '../events/export-requested.ts';
import { exportBody } from '../schemas/finance.ts';

const runs = dynamoExportStore();
const events = eventBridgePublisher();

/** POST /api/finance/exports { date, datasets? }: 202 { runId }; the export function writes the files. */
export const handler = httpHandler({ body: exportBody }, async ({ body, principal, correlationId }) => {
  const runId = randomUUID();
  const requestedBy = requirePrincipal(principal).username;
  const datasets = body.datasets ?? [...DATASET_NAMES];
  const event = createEvent(
    FinanceExportRequested,
    { runId, date: body.date, datasets, requestedBy },
    { correlationId },
  );
  // The request is recorded before the run is announced: a run never starts unaudited.
  await recordAuditFirst();
  // Announced first, then listed: a failed publish leaves no run that will never start (the
  // client retries), and the export writes its own run item whatever happens to this one.
  await events.publish([event]);
  await runs.putRequestedRun({
    runId,
    date: body.date,
    datasets,
    status: 'requested',
    requestedAt: event.detail.metadata.occurredAt,
    requestedBy,
  });
  return accepted({ runId });
});
