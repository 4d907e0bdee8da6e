import { afterEach, describe, expect, it } from 'vitest';
import type { SystemManifest } from '../../lib/manifest/types.ts';
import { LocalLambdas } from '../../local/lambda.ts';
import { theGate } from './fixtures/gated-handler.ts';

const gate = theGate();
const manifest = {
  functions: { gated: { entry: 'test/unit/fixtures/gated-handler.ts', description: 'test' } },
  routes: [],
  rules: [],
  stateMachines: [],
  schedules: [],
  streams: [],
} as unknown as SystemManifest;
const tick = (ms = 20) => new Promise((r) => setTimeout(r, ms));
const finish = async (id: string) => {
  gate.open.get(id)?.();
  gate.open.delete(id);
  await tick();
};

afterEach(() => {
  for (const open of gate.open.values()) open();
  gate.open.clear();
  gate.started.length = 0;
});

describe('local Lambda lanes', () => {
  it('runs at most backgroundConcurrency event-driven invocations at once, in arrival order', async () => {
    const lambdas = new LocalLambdas(manifest, process.cwd(), {
      backgroundConcurrency: 2,
      backgroundWorker: false,
    });
    const results = ['b1', 'b2', 'b3'].map((id) => lambdas.invokeInBackground('gated', { id }));
    await tick(300);
    expect(gate.started).toEqual(['b1', 'b2']);
    expect(lambdas.backlog()).toBe(1);
    await finish('b1');
    expect(gate.started).toEqual(['b1', 'b2', 'b3']);
    await finish('b2');
    await finish('b3');
    expect(await Promise.all(results)).toEqual(['b1', 'b2', 'b3']);
  });

  it('answers an API request at once and starts no new event-driven work while it is in flight', async () => {
    const lambdas = new LocalLambdas(manifest, process.cwd(), {
      backgroundConcurrency: 4,
      backgroundWorker: false,
    });
    const api = lambdas.invoke('gated', { id: 'api' });
    await tick();
    expect(gate.started).toEqual(['api']);
    const queued = lambdas.invokeInBackground('gated', { id: 'bg' });
    await tick(100);
    expect(gate.started).toEqual(['api']);
    // A request that keeps the API busy does not stop the backlog: after 250 ms one runs anyway.
    await tick(250);
    expect(gate.started).toEqual(['api', 'bg']);
    await finish('api');
    await finish('bg');
    expect(await Promise.all([api, queued])).toEqual(['api', 'bg']);
  });
});
