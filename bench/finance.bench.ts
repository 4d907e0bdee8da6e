import { BatchWriteCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { exportNow } from '#finance/api';
import { type Bench, round } from './context.ts';

/**
 * The finance export: a day of journal lines (1,000,000 at scale 1, the size;
 * `QM_BENCH_SCALE=0.2` for a quick 200,000) written as Parquet + CSV + manifest to local S3, rows
 * per second and the process's peak memory while it runs, beside the raw engine reading the same
 * entries with a paged Query. Entries are seeded straight into the table, four lines each, as
 * postings write them, a few batches at a time (never the whole day in memory, so the baseline
 * the peak is measured from is not inflated by the seed).
 */
const LINES_PER_ENTRY = 4;
const DAY = '2026-01-15';
/** BatchWrite requests in flight while seeding. */
const SEED_CONCURRENCY = 8;

const bench: Bench = async ({ raw, tableName, scale }) => {
  const lines = Math.max(4_000, Math.round(1_000_000 * scale));
  const entries = Math.ceil(lines / LINES_PER_ENTRY);
  const item = (i: number) => {
    const entryId = `bench-${String(i).padStart(8, '0')}`;
    const recordedAt = new Date(Date.parse(`${DAY}T00:00:00Z`) + i).toISOString();
    return {
      pk: `FIN#ENTRY#${entryId}`,
      sk: 'ENTRY',
      gsi1pk: `FINDAY#${DAY}`,
      gsi1sk: `${recordedAt}#${entryId}`,
      entity: 'JournalEntry',
      entryId,
      sourceEventId: entryId,
      sourceType: 'ShipmentConfirmed',
      postedAt: recordedAt,
      recordedAt,
      period: DAY.slice(0, 7),
      lines: Array.from({ length: LINES_PER_ENTRY }, (_, n) => ({
        lineNo: n + 1,
        account: ['5000', '1300', '1200', '4000'][n],
        debit: n % 2 === 0 ? 1234 + i : 0,
        credit: n % 2 === 1 ? 1234 + i : 0,
        currency: 'USD',
        reference: `O-${i}`,
        sku: `SKU-${i % 500}`,
        locationId: 'WH1',
        channelId: 'web',
      })),
    };
  };
  let nextBatch = 0;
  await Promise.all(
    Array.from({ length: SEED_CONCURRENCY }, async () => {
      for (let from = nextBatch++ * 25; from < entries; from = nextBatch++ * 25) {
        let pending = Array.from({ length: Math.min(25, entries - from) }, (_, n) => ({
          PutRequest: { Item: item(from + n) },
        }));
        while (pending.length) {
          const out = await raw.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
          pending = (out.UnprocessedItems?.[tableName] ?? []) as typeof pending;
        }
      }
    }),
  );

  let started = performance.now();
  let read = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const page = await raw.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :p',
        ExpressionAttributeValues: { ':p': `FINDAY#${DAY}` },
        Limit: 500,
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    for (const item of page.Items ?? []) read += (item.lines as unknown[]).length;
    start = page.LastEvaluatedKey;
  } while (start);
  const rawSeconds = (performance.now() - started) / 1000;

  global.gc?.();
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  started = performance.now();
  const run = await exportNow(DAY, ['journal_lines']);
  const exportSeconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  const rows = run.results?.[0]?.rows ?? 0;
  if (rows !== lines && rows !== entries * LINES_PER_ENTRY)
    throw new Error(`exported ${rows} of ${lines} lines`);
  const mb = (b: number) => round(b / 1024 / 1024);
  return {
    journalLines: rows,
    rawQuery: { rows: read, seconds: round(rawSeconds), rowsPerSecond: round(read / rawSeconds) },
    export: {
      rows,
      seconds: round(exportSeconds),
      rowsPerSecond: round(rows / exportSeconds),
      rssBeforeMb: mb(baseline),
      peakRssMb: mb(peak),
      peakGrowthMb: mb(peak - baseline),
    },
    exportVsRawQuery: round(rows / exportSeconds / (read / rawSeconds)),
    peakTargetMb: 512,
    peakWithinTarget: mb(peak) < 512,
    note: 'export = paged Query + Parquet (row groups of 10,000) + CSV + sha256 + PutObject of both files to local S3, in the process that also runs the local runtime; raw = the same paged Query alone',
  };
};
export default bench;
