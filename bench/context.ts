import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { unsignedLocalSigner, withoutSdkLogging } from '../functions/shared/clients.ts';
import type { TestRuntime } from '../test/support/runtime.ts';

/** What every benchmark receives: a running local runtime and a raw client on the same engine. */
export interface BenchContext {
  runtime: TestRuntime;
  /** Document client straight to the same DynamoDB Local, for the raw-engine baseline. */
  raw: DynamoDBDocumentClient;
  tableName: string;
  /** Scale factor: 1 by default; `QM_BENCH_SCALE=0.2` for a quick run. */
  scale: number;
}

export type Bench = (ctx: BenchContext) => Promise<Record<string, unknown>>;

export function rawClient(endpoint: string, region: string): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(
    withoutSdkLogging(
      new DynamoDBClient({
        endpoint,
        region,
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        maxAttempts: 1,
        // As the runtime's own clients send to DynamoDB Local: the engine's rate, not SigV4's.
        signer: unsignedLocalSigner,
      }),
    ),
  );
}

/** Runs `task(i)` for i in [0, total) with `concurrency` workers; returns wall time and latencies. */
export async function measure(total: number, concurrency: number, task: (i: number) => Promise<unknown>) {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < total; i = next++) {
        const t0 = performance.now();
        await task(i);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) =>
    round(latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0);
  return {
    operations: total,
    seconds: round(seconds),
    perSecond: round(total / seconds),
    p50Ms: pct(0.5),
    p99Ms: pct(0.99),
  };
}

export const round = (n: number) => Math.round(n * 100) / 100;
