import { ENV } from '../functions/shared/env.ts';
import { localConfig } from './config.ts';

/**
 * `npm run export -- --date YYYY-MM-DD [--dataset name]`: writes a day's finance datasets from
 * the running local stack (DynamoDB Local, local S3) to `exports/<dataset>/dt=<date>/` in the
 * local exports bucket, printing progress as row groups are written.
 */
const args = process.argv.slice(2);
const option = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const DATASETS = ['journal_lines', 'inventory_valuation', 'kpis_daily'] as const;
const date = option('--date');
const dataset = option('--dataset');
if (!date || !/^\d{4}-\d{2}-\d{2}$/.test(date) || (dataset && !DATASETS.includes(dataset as never))) {
  console.error(`usage: npm run export -- --date YYYY-MM-DD [--dataset ${DATASETS.join('|')}]`);
  process.exit(2);
}
const config = localConfig();
Object.assign(process.env, {
  [ENV.tableName]: config.tableName,
  [ENV.exportsBucket]: config.exportsBucket,
  [ENV.ddbEndpoint]: `http://127.0.0.1:${config.ddbPort}`,
  [ENV.s3Endpoint]: `http://127.0.0.1:${config.s3Port}`,
  AWS_REGION: config.region,
  AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID ?? 'local',
  AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY ?? 'local',
});
// Loaded after the environment is set: the clients read it when first made.
const { exportNow } = await import('#finance/api');
try {
  const run = await exportNow(date, dataset ? [dataset as (typeof DATASETS)[number]] : [...DATASETS], (m) =>
    console.log(m),
  );
  for (const r of run.results ?? []) console.log(`${r.name}: ${r.rows} rows → ${r.files.join(', ')}`);
} catch (error) {
  console.error(
    `export failed against ${config.tableName} on port ${config.ddbPort}:`,
    (error as Error).message,
  );
  process.exitCode = 1;
}
