import { exportPorts } from '../adapters/wiring.ts';
import { DATASET_NAMES } from '../core/datasets.ts';
import { runExport } from '../core/exports.ts';

const ports = exportPorts();

/** Daily: yesterday's (UTC) datasets. The run id is the day's, so a repeated schedule rewrites the same run. */
export const handler = async (event: { scheduledAt?: string } = {}) => {
  const at = event.scheduledAt ? new Date(event.scheduledAt) : new Date();
  const date = new Date(at.getTime() - 86_400_000).toISOString().slice(0, 10);
  const run = await runExport(ports, {
    runId: `daily-${date}`,
    date,
    datasets: [...DATASET_NAMES],
    status: 'requested',
    requestedAt: at.toISOString(),
    requestedBy: 'system:finance-export-schedule',
  });
  return { runId: run.runId, status: run.status };
};
