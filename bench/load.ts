import { Worker } from 'node:worker_threads';
import type { LoadPlan, LoadResult } from './load-sender.ts';

export type { LoadPlan, LoadRequest, LoadResult } from './load-sender.ts';

/** Runs one load plan on a worker thread (see load-sender.ts) and resolves with what it measured. */
export function runLoad(plan: LoadPlan): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./load-sender.ts', import.meta.url), { workerData: plan });
    worker.once('message', (result: LoadResult) => {
      resolve(result);
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0 && code !== 1) reject(new Error(`load worker exited with ${code}`));
    });
  });
}
