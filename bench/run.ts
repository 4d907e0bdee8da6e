import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startTestRuntime } from '../test/support/runtime.ts';
import { type Bench, rawClient } from './context.ts';

/**
 * `npm run bench [-- name...]`: runs every `bench/*.bench.ts` (or the named ones), each in a
 * process of its own on a fresh local runtime (its own DynamoDB Local), so one bench's data, JIT
 * state and leftover work do not colour the next, and prints one JSON document. Each bench
 * measures the raw DynamoDB Local rate for the same shape of write in the same run, so figures
 * are comparable across machines.
 * Internally `run.ts --one <name> <out.json>` runs one bench and writes its result to the file.
 */
const self = fileURLToPath(import.meta.url);
const dir = path.dirname(self);
const nameOf = (file: string) => file.replace(/\.bench\.ts$/, '');

if (process.argv[2] === '--one') {
  const [, , , name, out] = process.argv as [string, string, string, string, string];
  const mod = (await import(pathToFileURL(path.join(dir, `${name}.bench.ts`)).href)) as { default: Bench };
  const runtime = await startTestRuntime();
  const raw = rawClient(process.env.QM_DDB_ENDPOINT as string, runtime.config.region);
  try {
    const result = await mod.default({
      runtime,
      raw,
      tableName: runtime.config.tableName,
      scale: Number(process.env.QM_BENCH_SCALE ?? 1),
    });
    await writeFile(out, JSON.stringify(result));
  } finally {
    await runtime.stop();
  }
  process.exit(0);
}

const only = process.argv.slice(2);
const files = (await readdir(dir)).filter((f) => f.endsWith('.bench.ts')).sort();
const selected = files.map(nameOf).filter((name) => only.length === 0 || only.includes(name));
const scratch = await mkdtemp(path.join(tmpdir(), 'qm-bench-'));
const results: Record<string, unknown> = {};
try {
  for (const name of selected) {
    process.stderr.write(`bench ${name}…\n`);
    const out = path.join(scratch, `${name}.json`);
    const child = spawnSync(process.execPath, [...process.execArgv, self, '--one', name, out], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    if (child.status !== 0) throw new Error(`bench ${name} failed (exit ${child.status ?? child.signal})`);
    results[name] = JSON.parse(await readFile(out, 'utf8'));
  }
} finally {
  await rm(scratch, { recursive: true, force: true });
}
console.log(
  JSON.stringify(
    {
      at: new Date().toISOString(),
      machine: { node: process.version, cpus: cpus().length },
      engine: 'DynamoDB Local (in memory)',
      results,
    },
    null,
    2,
  ),
);
process.exit(0);
