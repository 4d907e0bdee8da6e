import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { LocalLambdas, type LocalLambdasOptions, loadHandler } from '../../local/lambda.ts';
import { functionsOnly } from './fixtures/functions-only-manifest.ts';
import { theGate } from './fixtures/gated-handler.ts';

/*
 * The lanes run on the main thread here (`backgroundWorker: false`) with fake timers: the gated
 * handler decides when an invocation ends and the fake clock when 25 ms (API quiet) or 250 ms
 * (starvation) have passed, so nothing depends on how fast this machine is.
 */
const gate = theGate();
const ENTRY = 'test/unit/fixtures/gated-handler.ts';
const manifest = functionsOnly({
  gated: { entry: ENTRY },
  flow: { entry: ENTRY, urgency: 'order-flow' },
  books: { entry: ENTRY, urgency: 'bookkeeping' },
});

const lanes = (options: LocalLambdasOptions) =>
  new LocalLambdas(manifest, process.cwd(), { backgroundWorker: false, ...options });
/** Lets every promise chain that can move without the clock move (no time passes). */
const settle = () => vi.advanceTimersByTimeAsync(0);
const elapse = (ms: number) => vi.advanceTimersByTimeAsync(ms);
const finish = async (id: string) => {
  const open = gate.open.get(id);
  if (!open) throw new Error(`${id} is not running`);
  gate.open.delete(id);
  open();
  await settle();
};
const background = (lambdas: LocalLambdas, ...ids: string[]) =>
  ids.map((id) => lambdas.invokeInBackground('gated', { id }));
/** Background invocations of the order-flow (`flow…` ids) and bookkeeping (`books…`) functions. */
const urgent = (lambdas: LocalLambdas, ...ids: string[]) =>
  ids.map((id) => lambdas.invokeInBackground(id.startsWith('flow') ? 'flow' : 'books', { id }));

beforeAll(async () => {
  // The handler module is imported once, before the clock is faked: later loads are cached.
  await loadHandler(pathToFileURL(path.join(process.cwd(), ENTRY)).href);
});
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
});
afterEach(() => {
  for (const open of gate.open.values()) open();
  gate.open.clear();
  gate.started.length = 0;
  vi.useRealTimers();
});

describe('local Lambda lanes', () => {
  it('runs at most backgroundConcurrency event-driven invocations at once, in arrival order', async () => {
    const lambdas = lanes({ backgroundConcurrency: 2 });
    const results = background(lambdas, 'b1', 'b2', 'b3');
    await elapse(300);
    expect(gate.started).toEqual(['b1', 'b2']);
    expect(lambdas.backlog()).toBe(1);
    await finish('b1');
    expect(gate.started).toEqual(['b1', 'b2', 'b3']);
    await finish('b2');
    await finish('b3');
    expect(await Promise.all(results)).toEqual(['b1', 'b2', 'b3']);
  });

  it('keeps two event-driven invocations running while an API request is in flight', async () => {
    const lambdas = lanes({ backgroundConcurrency: 4, backgroundMinWhileBusy: 2 });
    const api = lambdas.invoke('gated', { id: 'api' });
    await settle();
    const results = background(lambdas, 'b1', 'b2', 'b3', 'b4', 'b5');
    await settle();
    expect(gate.started).toEqual(['api', 'b1', 'b2']);
    // However long the request lasts, the busy lane stays two wide: no starvation bonus on top.
    await elapse(1000);
    expect(gate.started).toEqual(['api', 'b1', 'b2']);
    expect(lambdas.backlog()).toBe(3);
    // A finished invocation hands its slot to the next in arrival order, still two at a time.
    await finish('b2');
    expect(gate.started).toEqual(['api', 'b1', 'b2', 'b3']);
    expect(lambdas.backlog()).toBe(2);
    // The API falls quiet: after API_QUIET_MS (25 ms) the lane widens to the full concurrency.
    await finish('api');
    expect(gate.started).toEqual(['api', 'b1', 'b2', 'b3']);
    await elapse(24);
    expect(gate.started).toEqual(['api', 'b1', 'b2', 'b3']);
    await elapse(1);
    expect(gate.started).toEqual(['api', 'b1', 'b2', 'b3', 'b4', 'b5']);
    for (const id of ['b1', 'b3', 'b4', 'b5']) await finish(id);
    expect(await Promise.all([api, ...results])).toEqual(['api', 'b1', 'b2', 'b3', 'b4', 'b5']);
  });

  it('starts nothing new while busy until the running work is below the busy minimum', async () => {
    const lambdas = lanes({ backgroundConcurrency: 4, backgroundMinWhileBusy: 2 });
    background(lambdas, 'b1', 'b2', 'b3', 'b4');
    await settle();
    expect(gate.started).toEqual(['b1', 'b2', 'b3', 'b4']);
    const api = lambdas.invoke('gated', { id: 'api' });
    background(lambdas, 'b5', 'b6');
    await settle();
    // Four running, API busy: b5 waits until fewer than two are running.
    await finish('b1');
    await finish('b2');
    expect(gate.started).toEqual(['b1', 'b2', 'b3', 'b4', 'api']);
    await finish('b3');
    expect(gate.started).toEqual(['b1', 'b2', 'b3', 'b4', 'api', 'b5']);
    await finish('b4');
    expect(gate.started).toEqual(['b1', 'b2', 'b3', 'b4', 'api', 'b5', 'b6']);
    await finish('api');
    await finish('b5');
    await finish('b6');
    await api;
  });

  it('never keeps more running while busy than backgroundConcurrency allows', async () => {
    const lambdas = lanes({ backgroundConcurrency: 1, backgroundMinWhileBusy: 2 });
    const api = lambdas.invoke('gated', { id: 'api' });
    background(lambdas, 'b1', 'b2');
    await elapse(1000);
    expect(gate.started).toEqual(['api', 'b1']);
    await finish('b1');
    expect(gate.started).toEqual(['api', 'b1', 'b2']);
    await finish('b2');
    await finish('api');
    await api;
  });

  it('with a busy minimum of 0, starts nothing while busy until the oldest has waited 250 ms', async () => {
    const lambdas = lanes({ backgroundConcurrency: 4, backgroundMinWhileBusy: 0 });
    const api = lambdas.invoke('gated', { id: 'api' });
    await settle();
    expect(gate.started).toEqual(['api']);
    const queued = background(lambdas, 'bg1', 'bg2');
    await elapse(249);
    expect(gate.started).toEqual(['api']);
    // A request that keeps the API busy does not stop the backlog: after 250 ms one runs anyway.
    await elapse(1);
    expect(gate.started).toEqual(['api', 'bg1']);
    await elapse(1000);
    expect(gate.started).toEqual(['api', 'bg1']);
    // bg2 has waited more than 250 ms as well: it takes over the one slot at once.
    await finish('bg1');
    expect(gate.started).toEqual(['api', 'bg1', 'bg2']);
    await finish('api');
    await finish('bg2');
    expect(await Promise.all([api, ...queued])).toEqual(['api', 'bg1', 'bg2']);
  });

  it('serves order-flow work first and bookkeeping last, each in arrival order', async () => {
    const lambdas = lanes({ backgroundConcurrency: 1 });
    const first = background(lambdas, 'b1');
    await settle();
    const queued = [
      ...urgent(lambdas, 'books1'),
      ...background(lambdas, 'b2'),
      ...urgent(lambdas, 'flow1', 'flow2'),
    ];
    await settle();
    expect(lambdas.backlog()).toBe(4);
    for (const id of ['b1', 'flow1', 'flow2', 'b2']) await finish(id);
    expect(gate.started).toEqual(['b1', 'flow1', 'flow2', 'b2', 'books1']);
    await finish('books1');
    expect(await Promise.all([...first, ...queued])).toEqual(['b1', 'books1', 'b2', 'flow1', 'flow2']);
  });

  it('puts a stream batch ahead of the bus targets waiting at its urgency, behind earlier batches', async () => {
    const lambdas = lanes({ backgroundConcurrency: 1 });
    const batch = (id: string) => lambdas.invokeInBackground('flow', { id }, { fromStream: true });
    const queued = [...urgent(lambdas, 'flow1', 'flow2', 'flow3'), ...background(lambdas, 'b1')];
    await settle();
    queued.push(batch('outbox1'), ...urgent(lambdas, 'flow4'), batch('outbox2'));
    await settle();
    expect(lambdas.backlog()).toBe(6);
    // The outbox's next batch does not wait for the releases its last one started.
    for (const id of ['flow1', 'outbox1', 'outbox2', 'flow2', 'flow3', 'flow4']) await finish(id);
    expect(gate.started).toEqual(['flow1', 'outbox1', 'outbox2', 'flow2', 'flow3', 'flow4', 'b1']);
    await finish('b1');
    expect(await Promise.all(queued)).toEqual([
      'flow1',
      'flow2',
      'flow3',
      'b1',
      'outbox1',
      'flow4',
      'outbox2',
    ]);
  });

  it('leaves streamBatchLead invocations ahead of a stream batch, so a long backlog stays in the stream', async () => {
    const lambdas = lanes({ backgroundConcurrency: 1, streamBatchLead: 2 });
    const queued = urgent(lambdas, 'flow1', 'flow2', 'flow3', 'flow4', 'flow5');
    await settle();
    queued.push(lambdas.invokeInBackground('flow', { id: 'outbox1' }, { fromStream: true }));
    await settle();
    // Four wait behind flow1: the batch overtakes all but the last two.
    for (const id of ['flow1', 'flow2', 'flow3', 'outbox1', 'flow4', 'flow5']) await finish(id);
    expect(gate.started).toEqual(['flow1', 'flow2', 'flow3', 'outbox1', 'flow4', 'flow5']);
    await Promise.all(queued);
  });

  it('counts bookkeeping patience from the oldest waiter, not from a younger stream batch ahead of it', async () => {
    const lambdas = lanes({ backgroundConcurrency: 4 });
    urgent(lambdas, 'flow1');
    await settle();
    urgent(lambdas, 'books1');
    await elapse(20_000);
    void lambdas.invokeInBackground('books', { id: 'journal1' }, { fromStream: true });
    await elapse(10_000);
    urgent(lambdas, 'flow2');
    await finish('flow1');
    // books1 has waited 30 s: one bookkeeping invocation runs, the batch at the head first.
    expect(gate.started).toEqual(['flow1', 'flow2', 'journal1']);
    await finish('journal1');
    expect(gate.started.at(-1)).toBe('books1');
    for (const id of ['flow2', 'books1']) await finish(id);
  });

  it('never gives bookkeeping more than half the slots, so an order finds one free', async () => {
    const lambdas = lanes({ backgroundConcurrency: 4 });
    urgent(lambdas, 'books1', 'books2', 'books3');
    await settle();
    expect(gate.started).toEqual(['books1', 'books2']);
    urgent(lambdas, 'flow1');
    background(lambdas, 'b1', 'b2');
    await settle();
    // books3 waits although two slots were free: they went to the order and the normal work.
    expect(gate.started).toEqual(['books1', 'books2', 'flow1', 'b1']);
    await finish('books1');
    expect(gate.started).toEqual(['books1', 'books2', 'flow1', 'b1', 'b2']);
    for (const id of ['books2', 'flow1', 'b1', 'b2']) await finish(id);
    expect(gate.started.at(-1)).toBe('books3');
    await finish('books3');
  });

  it('holds bookkeeping back while order flow runs or waits, and starts it when order flow pauses', async () => {
    const lambdas = lanes({ backgroundConcurrency: 4 });
    urgent(lambdas, 'flow1');
    await settle();
    urgent(lambdas, 'books1', 'books2');
    background(lambdas, 'b1');
    await settle();
    // Two slots are free and bookkeeping's half is unused, but an order is moving.
    expect(gate.started).toEqual(['flow1', 'b1']);
    urgent(lambdas, 'flow2');
    await finish('flow1');
    expect(gate.started).toEqual(['flow1', 'b1', 'flow2']);
    await finish('flow2');
    expect(gate.started).toEqual(['flow1', 'b1', 'flow2', 'books1', 'books2']);
    for (const id of ['b1', 'books1', 'books2']) await finish(id);
  });

  it('runs one bookkeeping invocation at a time once it has waited 30 s behind order flow that never pauses', async () => {
    const lambdas = lanes({ backgroundConcurrency: 4 });
    urgent(lambdas, 'flow1');
    await settle();
    urgent(lambdas, 'books1', 'books2');
    await elapse(29_000);
    urgent(lambdas, 'flow2');
    await settle();
    expect(gate.started).toEqual(['flow1', 'flow2']);
    await elapse(1_000);
    await finish('flow1');
    expect(gate.started).toEqual(['flow1', 'flow2', 'books1']);
    urgent(lambdas, 'flow3');
    await finish('flow2');
    // books2 waits for books1: one at a time while orders keep coming.
    expect(gate.started).toEqual(['flow1', 'flow2', 'books1', 'flow3']);
    await finish('books1');
    expect(gate.started.at(-1)).toBe('books2');
    for (const id of ['flow3', 'books2']) await finish(id);
  });

  it('keeps orderFlowWhileBusy order-flow invocations running while the API is busy; other work waits', async () => {
    const lambdas = lanes({ backgroundConcurrency: 4, backgroundMinWhileBusy: 0, orderFlowWhileBusy: 2 });
    const api = lambdas.invoke('gated', { id: 'api' });
    await settle();
    background(lambdas, 'b1');
    urgent(lambdas, 'flow1', 'flow2', 'flow3');
    await settle();
    expect(gate.started).toEqual(['api', 'flow1', 'flow2']);
    await finish('flow1');
    expect(gate.started).toEqual(['api', 'flow1', 'flow2', 'flow3']);
    await finish('api');
    await elapse(25);
    expect(gate.started).toEqual(['api', 'flow1', 'flow2', 'flow3', 'b1']);
    for (const id of ['flow2', 'flow3', 'b1']) await finish(id);
    await api;
  });

  it('answers an API request at once even when the background lane is full', async () => {
    const lambdas = lanes({ backgroundConcurrency: 1, backgroundMinWhileBusy: 2 });
    background(lambdas, 'b1', 'b2');
    await settle();
    const api = lambdas.invoke('gated', { id: 'api' });
    await settle();
    expect(gate.started).toEqual(['b1', 'api']);
    await finish('api');
    expect(await api).toBe('api');
    await finish('b1');
    await finish('b2');
  });
});
