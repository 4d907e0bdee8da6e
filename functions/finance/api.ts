/**
 * Finance's front door: the types other contexts, the deployer and the console may use. Nothing
 * else under `functions/finance/` is imported from outside it. Finance reads other contexts only
 * through their events; the business reads finance through its API and S3 exports.
 */
import { exportPorts } from './adapters/wiring.ts';
import { MONEY_SCALE as SCALE } from './core/export-files.ts';
import {
  type DatasetName,
  type ExportRun,
  JOURNAL_LINE_COLUMNS,
  runExport,
  VALUATION_COLUMNS,
} from './core/exports.ts';
import { KPI_DAILY_COLUMNS } from './core/kpi-dataset.ts';

export type { Account, AccountRole } from './core/accounts.ts';
export type { DatasetName, ExportRun } from './core/exports.ts';

/** GET /api/finance/trial-balance. */
export type TrialBalance = Awaited<ReturnType<typeof import('./core/books.ts').trialBalance>>;
/** GET /api/finance/reconciliation. */
export type Reconciliation = Awaited<ReturnType<typeof import('./core/reconciliation.ts').reconcile>>;
/** GET /api/finance/periods (items). */
export type PeriodView = Awaited<ReturnType<typeof import('./core/books.ts').listPeriods>>['items'][number];
/** GET /api/finance/exports/{runId} and the items of GET /api/finance/exports. */
export type ExportRunView = ReturnType<typeof import('./core/exports.ts').runView>;
export type { ClosedPeriod } from './core/ports.ts';

/**
 * Runs one export now, outside the bus (the `npm run export` script, the bench): the same
 * files as a requested or scheduled run, recorded as a run with id `manual-<date>`.
 */
export async function exportNow(
  date: string,
  datasets: readonly DatasetName[],
  progress?: (message: string) => void,
): Promise<ExportRun> {
  return runExport(
    exportPorts(),
    {
      runId: `manual-${date}`,
      date,
      datasets: [...datasets],
      status: 'requested',
      requestedAt: new Date().toISOString(),
      requestedBy: 'system:npm-run-export',
    },
    progress,
  );
}

export { SCHEMA_VERSION } from './core/exports.ts';

/**
 * Each exported dataset's columns as Athena sees them (Hive types), for the Glue tables the
 * deployer declares: the same lists the export writes, so a table cannot drift from its files.
 */
export const EXPORT_TABLES: Readonly<Record<DatasetName, { name: string; type: string }[]>> = (() => {
  const hive = {
    string: 'string',
    int32: 'int',
    int64: 'bigint',
    money: `decimal(18,${SCALE})`,
    timestamp: 'timestamp',
  };
  const columns = (cs: typeof JOURNAL_LINE_COLUMNS) => cs.map((c) => ({ name: c.name, type: hive[c.kind] }));
  return {
    journal_lines: columns(JOURNAL_LINE_COLUMNS),
    inventory_valuation: columns(VALUATION_COLUMNS),
    kpis_daily: columns(KPI_DAILY_COLUMNS),
  };
})();
