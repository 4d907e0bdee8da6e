import { eventHandler } from '#shared/event-handler';
import { exportPorts } from '../adapters/wiring.ts';
import { type DatasetName, runExport } from '../core/exports.ts';
import { FinanceExportRequested } from '../events/export-requested.ts';

const ports = exportPorts();

/** FinanceExportRequested → the run's files in S3. A redelivery writes the same bytes again. */
export const handler = eventHandler(
  'finance-export',
  async (event) => {
    const data = FinanceExportRequested.data.parse(event.detail.data);
    await runExport(ports, {
      runId: data.runId,
      date: data.date,
      datasets: data.datasets as DatasetName[],
      status: 'requested',
      requestedAt: event.detail.metadata.occurredAt,
      requestedBy: data.requestedBy,
    });
  },
  { idempotent: false },
);
