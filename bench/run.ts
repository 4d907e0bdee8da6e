import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startTestRuntime } from '../test/support/runtime.ts';
import { type Bench, rawClient } from './context.ts';

/**
 * `npm run bench [-- name...]`: runs every `bench/*.bench.ts` (or the named ones), each on a
 * fresh local runtime (its own DynamoDB Local, so one bench's data, JIT state and leftover work
 * do not colour the next), and prints one JSON document. Each bench measures the raw
 * DynamoDB Local rate for the same shape of write in the same run, so figures are comparable
 * across machines.
 */
const dir = path.dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const files = (await readdir(dir)).filter((f) => f.endsWith('.bench.ts')).sort();
const selected = files.filter((f) => only.length === 0 || only.includes(f.replace(/\.bench\.ts$/, '')));

const results: Record<string, unknown> = {};
for (const file of selected) {
  const mod = (await import(pathToFileURL(path.join(dir, file)).href)) as { default: Bench };
  const name = file.replace(/\.bench\.ts$/, '');
  process.stderr.write(`bench ${name}…\n`);
  const runtime = await startTestRuntime();
  const raw = rawClient(process.env.QM_DDB_ENDPOINT as string, runtime.config.region);
  try {
    results[name] = await mod.default({
      runtime,
      raw,
      tableName: runtime.config.tableName,
      scale: Number(process.env.QM_BENCH_SCALE ?? 1),
    });
  } finally {
    raw.destroy();
    await runtime.stop();
  }
}
console.log(
  JSON.stringify(
    {
      at: new Date().toISOString(),
      machine: { node: process.version, cpus: (await import('node:os')).cpus().length },
      engine: 'DynamoDB Local (in memory)',
      results,
    },
    null,
    2,
  ),
);
process.exit(0);
