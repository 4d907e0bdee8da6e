import type { CostPosition } from './costing.ts';
import { unitCost } from './costing.ts';
import { type Column, type FileSink, type Row, writeDataset } from './export-files.ts';
import { KPI_DAILY_COLUMNS, type KpiDailyRow, kpiDailyRows } from './kpi-dataset.ts';
import type { FinanceStore } from './ports.ts';

/**
 * The datasets finance exports for Athena: one folder per dataset and day,
 * `exports/<dataset>/dt=YYYY-MM-DD/` with `part-00000.parquet`, `part-00000.csv` and
 * `_manifest.json`. A schema change bumps SCHEMA_VERSION.
 */
export const SCHEMA_VERSION = 1;

export const JOURNAL_LINE_COLUMNS: readonly Column[] = [
  { name: 'entry_id', kind: 'string' },
  { name: 'line_no', kind: 'int32' },
  { name: 'posted_at', kind: 'timestamp' },
  { name: 'period', kind: 'string' },
  { name: 'account', kind: 'string' },
  { name: 'debit', kind: 'money' },
  { name: 'credit', kind: 'money' },
  { name: 'currency', kind: 'string' },
  { name: 'source_event_id', kind: 'string' },
  { name: 'source_type', kind: 'string' },
  { name: 'reference', kind: 'string', nullable: true },
  { name: 'sku', kind: 'string', nullable: true },
  { name: 'location_id', kind: 'string', nullable: true },
  { name: 'channel_id', kind: 'string', nullable: true },
];

export const VALUATION_COLUMNS: readonly Column[] = [
  { name: 'as_of', kind: 'timestamp' },
  { name: 'sku', kind: 'string' },
  { name: 'location_id', kind: 'string' },
  { name: 'currency', kind: 'string' },
  { name: 'quantity', kind: 'int64' },
  { name: 'unit_cost', kind: 'money' },
  { name: 'value', kind: 'money' },
];

export type DatasetName = 'journal_lines' | 'inventory_valuation' | 'kpis_daily';

export interface DatasetResult {
  name: DatasetName;
  rows: number;
  files: string[];
}

export interface ExportRun {
  runId: string;
  date: string;
  datasets: DatasetName[];
  status: 'requested' | 'running' | 'succeeded' | 'failed';
  requestedAt: string;
  requestedBy: string;
  finishedAt?: string;
  results?: DatasetResult[];
  error?: string;
}

/** Where export files go: a sink per object key, and small objects (manifests) put whole. */
export interface ExportTarget {
  file(key: string): FileSink;
  put(key: string, body: string): Promise<void>;
}

export interface ExportPorts {
  store: FinanceStore;
  /** The cost of every position as it stood at `at` (its last change at or before it), in SKU order. */
  valuationAsOf(at: string): AsyncIterable<CostPosition>;
  target: ExportTarget;
  /** Oversight's KPI rows of a day (`kpis_daily`). */
  kpisOfDay(date: string): Promise<readonly KpiDailyRow[]>;
  putRun(run: ExportRun): Promise<void>;
  clock: () => Date;
}

async function* journalRows(store: FinanceStore, date: string): AsyncIterable<Row> {
  for await (const e of store.entriesOfDay(date)) {
    for (const l of e.lines) {
      yield {
        entry_id: e.entryId,
        line_no: l.lineNo,
        posted_at: e.postedAt,
        period: e.period,
        account: l.account,
        debit: { minor: l.debit, currency: l.currency },
        credit: { minor: l.credit, currency: l.currency },
        currency: l.currency,
        source_event_id: e.sourceEventId,
        source_type: e.sourceType,
        reference: l.reference,
        sku: l.sku,
        location_id: l.locationId,
        channel_id: l.channelId,
      };
    }
  }
}

async function* valuationRows(ports: ExportPorts, asOf: string): AsyncIterable<Row> {
  for await (const p of ports.valuationAsOf(asOf)) {
    if (p.quantity === 0 && p.value === 0) continue;
    yield {
      as_of: asOf,
      sku: p.sku,
      location_id: p.locationId,
      currency: p.currency,
      quantity: p.quantity,
      unit_cost: { minor: unitCost(p), currency: p.currency },
      value: { minor: p.value, currency: p.currency },
    };
  }
}

/** The end of a UTC day, inclusive: what a day's snapshot is as of. */
const endOfDay = (date: string) => `${date}T23:59:59.999Z`;

export const datasetPrefix = (name: string, date: string) => `exports/${name}/dt=${date}/`;

/**
 * Writes one dataset's files for a day. Journal lines are those booked that day (their
 * `recordedAt`), so a day once over always exports the same rows; the valuation is each
 * position as it stood at the end of the day.
 */
export async function exportDataset(
  ports: ExportPorts,
  name: DatasetName,
  date: string,
  progress?: (message: string) => void,
): Promise<DatasetResult> {
  const prefix = datasetPrefix(name, date);
  const [columns, rows] =
    name === 'journal_lines'
      ? [JOURNAL_LINE_COLUMNS, journalRows(ports.store, date)]
      : name === 'kpis_daily'
        ? [KPI_DAILY_COLUMNS, kpiDailyRows(ports.kpisOfDay(date))]
        : [VALUATION_COLUMNS, valuationRows(ports, endOfDay(date))];
  const parquetKey = `${prefix}part-00000.parquet`;
  const csvKey = `${prefix}part-00000.csv`;
  const written = await writeDataset(
    columns,
    rows,
    { parquet: ports.target.file(parquetKey), csv: ports.target.file(csvKey) },
    (n) => progress?.(`${name} ${date}: ${n} rows`),
  );
  const manifest = {
    dataset: name,
    date,
    schemaVersion: SCHEMA_VERSION,
    rows: written.rows,
    sums: written.sums,
    files: [
      { name: 'part-00000.parquet', sha256: written.parquet.sha256, bytes: written.parquet.bytes },
      { name: 'part-00000.csv', sha256: written.csv.sha256, bytes: written.csv.bytes },
    ],
  };
  const manifestKey = `${prefix}_manifest.json`;
  await ports.target.put(manifestKey, `${JSON.stringify(manifest, null, 2)}\n`);
  progress?.(`${name} ${date}: ${written.rows} rows written`);
  return { name, rows: written.rows, files: [parquetKey, csvKey, manifestKey] };
}

/** Runs a requested export: each dataset in turn; the run records what was written, or why it failed. */
export async function runExport(
  ports: ExportPorts,
  run: ExportRun,
  progress?: (message: string) => void,
): Promise<ExportRun> {
  await ports.putRun({ ...run, status: 'running' });
  try {
    const results: DatasetResult[] = [];
    for (const name of run.datasets) results.push(await exportDataset(ports, name, run.date, progress));
    const done: ExportRun = { ...run, status: 'succeeded', results, finishedAt: ports.clock().toISOString() };
    await ports.putRun(done);
    return done;
  } catch (error) {
    const failed: ExportRun = {
      ...run,
      status: 'failed',
      error: (error as Error).message,
      finishedAt: ports.clock().toISOString(),
    };
    await ports.putRun(failed);
    throw error;
  }
}

/** The run as the API answers it. */
export const runView = (run: ExportRun) => ({
  runId: run.runId,
  date: run.date,
  status: run.status,
  requestedAt: run.requestedAt,
  requestedBy: run.requestedBy,
  ...(run.finishedAt ? { finishedAt: run.finishedAt } : {}),
  ...(run.error ? { error: run.error } : {}),
  datasets: run.datasets.map((name) => {
    const r = run.results?.find((x) => x.name === name);
    return { name, rows: r?.rows ?? null, files: r?.files ?? [] };
  }),
});
