import { afterAll, describe, expect, it } from 'vitest';
import { LocalLambdas } from '../../local/lambda.ts';
import { functionsOnly } from './fixtures/functions-only-manifest.ts';
import { threadNice } from './fixtures/thread-nice-handler.ts';

/*
 * The background worker runs behind the API's thread when both want a CPU: its own thread's nice
 * goes up, and nothing else in the process changes. (Linux, where the local runtime and CI run.)
 */
const manifest = functionsOnly({ niceProbe: { entry: 'test/unit/fixtures/thread-nice-handler.ts' } });
const lowered = new LocalLambdas(manifest, process.cwd(), { backgroundNice: 7 });
const equal = new LocalLambdas(manifest, process.cwd());
afterAll(async () => {
  await lowered.stop();
  await equal.stop();
});

describe('the background worker thread’s priority', () => {
  it('is lowered by backgroundNice on the worker only', async () => {
    const before = threadNice();
    expect(await lowered.invokeInBackground('niceProbe', {})).toEqual({ nice: Math.min(19, before + 7) });
    expect(threadNice()).toBe(before);
  });

  it('stays as the process’s without it', async () => {
    const own = threadNice();
    expect(await equal.invokeInBackground('niceProbe', {})).toEqual({ nice: own });
  });
});
