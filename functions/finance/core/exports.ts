import { DATASETS, type DatasetName, type DatasetSource } from './datasets.ts';
import { type FileSink, writeDataset } from './export-files.ts';

export type { DatasetName } from './datasets.ts';

/**
 * Export runs: each dataset of the registry (datasets.ts) written to one folder per dataset and
 * day, `exports/<dataset>/dt=YYYY-MM-DD/` with `part-00000.parquet`, `part-00000.csv` and
 * `_manifest.json`. A schema change bumps SCHEMA_VERSION.
 */
export const SCHEMA_VERSION = 1;

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

export interface ExportPorts extends DatasetSource {
  target: ExportTarget;
  putRun(run: ExportRun): Promise<void>;
  clock: () => Date;
}

export const datasetPrefix = (name: string, date: string) => `exports/${name}/dt=${date}/`;

/** Writes one dataset's files for a day (what a day means is the dataset's own; see datasets.ts). */
export async function exportDataset(
  ports: ExportPorts,
  name: DatasetName,
  date: string,
  progress?: (message: string) => void,
): Promise<DatasetResult> {
  const prefix = datasetPrefix(name, date);
  const { columns } = DATASETS[name];
  const rows = DATASETS[name].rows(ports, date);
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
