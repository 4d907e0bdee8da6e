import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Context } from 'aws-lambda';
import type { FunctionSpec, SystemManifest } from '../lib/manifest/types.ts';
import { type AwsJsonReply, httpReply } from './aws-emulator.ts';
import type { PutEventsResultEntry } from './bus.ts';
import type {
  AwsCallReply,
  WorkerAwsCall,
  WorkerOptions,
  WorkerReply,
  WorkerRequest,
} from './lambda-protocol.ts';

type Handler = (event: unknown, context: Context) => Promise<unknown>;
/** The emulated AWS APIs (local/aws-emulator.ts): an X-Amz-Target and its JSON body in, a reply out. */
type AwsEmulation = (
  target: string,
  body: string,
  accepted?: readonly PutEventsResultEntry[],
) => Promise<AwsJsonReply>;
type Urgency = NonNullable<FunctionSpec['urgency']>;
interface Waiter {
  wake(): void;
  since: number;
  /** A stream batch (see `invokeInBackground`). */
  fromStream: boolean;
}

/**
 * When the longest-waiting invocation of a queue was queued: the oldest of the stream batches at
 * its head and of the first invocation behind them. The others arrived in order after that one,
 * and a batch further back joined after everything ahead of it.
 */
function oldestIn(queue: readonly Waiter[]): number | undefined {
  let oldest: number | undefined;
  for (const waiter of queue) {
    if (oldest === undefined || waiter.since < oldest) oldest = waiter.since;
    if (!waiter.fromStream) break;
  }
  return oldest;
}

/** Where an event-driven invocation comes from, when that changes its place in the queue. */
export interface BackgroundSource {
  /**
   * A stream poller's batch: it overtakes the bus targets waiting at its urgency, all of them or
   * all but the last `streamBatchLead`. It is what feeds them — an outbox batch waiting behind
   * the releases its last batch started pauses the whole pipeline — and on AWS a stream's
   * function has its own concurrency. Pollers deliver one batch per shard at a time.
   */
  fromStream?: boolean;
}

/** The background lane serves its queues in this order (`FunctionSpec.urgency`). */
const URGENCIES: readonly Urgency[] = ['order-flow', 'normal', 'bookkeeping'];

export interface LocalLambdasOptions {
  /** Event-driven invocations running at once. @default 4 */
  backgroundConcurrency?: number;
  /**
   * Event-driven invocations that may still run while the API is busy (never more than
   * `backgroundConcurrency`; 0: none, except one after the oldest has waited 250 ms). @default 0 (API first)
   */
  backgroundMinWhileBusy?: number;
  /**
   * Order-flow invocations (`FunctionSpec.urgency`) that may still run while the API is busy: an
   * order keeps moving towards released during a burst of webhooks. @default 4
   */
  orderFlowWhileBusy?: number;
  /**
   * Steps added to the worker thread's nice value (Linux): when the API's thread and the worker
   * both want a CPU, the API's goes first, whatever the lane lets run. 0 keeps them equal. @default 0
   */
  backgroundNice?: number;
  /**
   * How many waiting invocations a stream batch leaves ahead of itself (`BackgroundSource`): enough
   * to keep every slot busy while the poller reads its next batch, few enough that a burst's
   * backlog stays in the stream — which survives a crash — rather than in this queue. @default 200
   */
  streamBatchLead?: number;
  /** Run event-driven invocations on a worker thread (see below). @default true */
  backgroundWorker?: boolean;
}

/**
 * Runs the real Lambda handlers on this machine. Modules are imported on first use (a cold
 * start) after the runtime has set the environment they read at module scope.
 *
 * Two lanes, because on AWS a webhook's function never shares a CPU with the workflows its
 * event starts, while here one process serves both:
 * - `invoke`: synchronous invocations (API Gateway) run at once, on this thread;
 * - `invokeInBackground`: event-driven ones (bus targets, stream batches, Step Functions tasks,
 *   schedules) run on a worker thread with its own event loop — their long synchronous
 *   stretches (decoding a page of stream images) never hold an API request up — and at most
 *   `backgroundConcurrency` at once, like Lambda's asynchronous queue in front of a function
 *   with reserved concurrency. Waiting invocations are served by their function's urgency
 *   (order flow, normal, bookkeeping), first come first served within each except that a stream
 *   batch overtakes most of its urgency's queue (`BackgroundSource`); bookkeeping waits
 *   while order flow runs or waits (one at a time once it has waited 30 s) and never fills more
 *   than half the slots. While API requests are in flight only
 *   `orderFlowWhileBusy` order-flow invocations (and `backgroundMinWhileBusy` of any kind) run
 *   (see `slots`). A burst of orders is answered at once, the orders keep moving towards
 *   released behind it, and the journal, postings and KPI inputs catch up when it pauses.
 *   On Linux the worker's thread also runs `backgroundNice` steps of nice below the API's: the
 *   lane decides what may run, the OS who gets a CPU when all of it wants more than there is.
 */
export class LocalLambdas {
  private readonly backgroundConcurrency: number;
  private readonly minWhileBusy: number;
  private readonly orderFlowWhileBusy: number;
  private readonly streamBatchLead: number;
  /** Running invocations per urgency. */
  private readonly runningBy: Record<Urgency, number> = { 'order-flow': 0, normal: 0, bookkeeping: 0 };
  private apiInFlight = 0;
  private apiLastDone = 0;
  /** One first-come-first-served queue per urgency, most urgent first. */
  private readonly waiting: Record<Urgency, Waiter[]> = { 'order-flow': [], normal: [], bookkeeping: [] };
  private starvationTimer: NodeJS.Timeout | undefined;
  private worker: BackgroundWorker | undefined;
  private awsEmulation: AwsEmulation | undefined;

  constructor(
    private readonly manifest: SystemManifest,
    private readonly root: string,
    private readonly options: LocalLambdasOptions = {},
  ) {
    this.backgroundConcurrency = Math.max(1, options.backgroundConcurrency ?? 4);
    const minWhileBusy = options.backgroundMinWhileBusy ?? 0;
    const atMostAll = (n: number) =>
      Math.min(this.backgroundConcurrency, Number.isFinite(n) ? Math.max(0, Math.floor(n)) : 0);
    this.minWhileBusy = atMostAll(minWhileBusy);
    this.orderFlowWhileBusy = atMostAll(options.orderFlowWhileBusy ?? 4);
    this.streamBatchLead = Math.max(0, options.streamBatchLead ?? STREAM_BATCH_LEAD);
  }

  /** Answers the worker's emulated AWS calls (its handlers' PutEvents, StartExecution, ...). */
  answerAwsCalls(emulation: AwsEmulation): void {
    this.awsEmulation = emulation;
  }

  has(fn: string): boolean {
    return fn in this.manifest.functions;
  }

  /** Event-driven invocations waiting for a slot. */
  backlog(): number {
    return URGENCIES.reduce((sum, u) => sum + this.waiting[u].length, 0);
  }

  /**
   * A synchronous invocation (API Gateway): runs at once; event-driven work yields to it.
   * Rejects with `LambdaTimeout` once the function's `timeoutSeconds` have passed, as Lambda
   * ends the invocation (a handler cannot be stopped here: it finishes unobserved), so the
   * gateway can answer 503. middy-wrapped handlers end themselves just before, on either lane;
   * the background lane adds no hard stop, since a bus, stream or workflow retry would then run
   * beside the abandoned invocation, which a killed Lambda sandbox never does.
   */
  async invoke(fn: string, event: unknown): Promise<unknown> {
    this.apiInFlight++;
    let timer: NodeJS.Timeout | undefined;
    try {
      const handler = await this.load(fn);
      const limits = this.limits(fn);
      const timedOut = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new LambdaTimeout(limits.timeoutSeconds)),
          limits.timeoutSeconds * 1000,
        );
      });
      return await Promise.race([runHandler(handler, fn, limits, event), timedOut]);
    } catch (error) {
      // middy ends a wrapped handler 5 ms before the deadline with its own TimeoutError: the same event.
      if (isMiddyTimeout(error)) throw new LambdaTimeout(this.limits(fn).timeoutSeconds);
      throw error;
    } finally {
      clearTimeout(timer);
      this.apiInFlight--;
      this.apiLastDone = Date.now();
      this.dispatch();
    }
  }

  async invokeInBackground(fn: string, event: unknown, source: BackgroundSource = {}): Promise<unknown> {
    const urgency = this.urgencyOf(fn);
    const fromStream = source.fromStream === true;
    // Nobody overtakes the queue: a new invocation runs at once only when none as urgent waits.
    if (!this.waitingAtLeast(urgency) && this.mayStart(urgency)) this.runningBy[urgency]++;
    // Queued: whoever frees a slot counts this invocation as running before waking it.
    else {
      await new Promise<void>((wake) => {
        const queue = this.waiting[urgency];
        const waiter = { wake, since: Date.now(), fromStream };
        // A stream batch overtakes the queue, but not the batches at its head nor its last streamBatchLead.
        queue.splice(fromStream ? this.batchPlace(queue) : queue.length, 0, waiter);
        this.dispatch();
      });
    }
    try {
      if (this.options.backgroundWorker === false) {
        return await runHandler(await this.load(fn), fn, this.limits(fn), event);
      }
      this.worker ??= new BackgroundWorker(
        (target, body, accepted) => {
          if (!this.awsEmulation) throw new Error('The local runtime emulates no AWS API yet');
          return this.awsEmulation(target, body, accepted);
        },
        { nice: this.options.backgroundNice ?? 0 },
      );
      return await this.worker.invoke({ fn, entry: this.entryOf(fn), ...this.limits(fn), event });
    } finally {
      this.runningBy[urgency]--;
      this.dispatch();
    }
  }

  /** Where a stream batch joins a queue: behind the batches at its head, and `streamBatchLead` from its end. */
  private batchPlace(queue: readonly Waiter[]): number {
    const firstNotBatch = queue.findIndex((w) => !w.fromStream);
    const behindBatches = firstNotBatch < 0 ? queue.length : firstNotBatch;
    return Math.max(behindBatches, queue.length - this.streamBatchLead);
  }

  async stop(): Promise<void> {
    clearTimeout(this.starvationTimer);
    await this.worker?.stop();
    this.worker = undefined;
  }

  /**
   * How many event-driven invocations may run now. While the API is idle: all
   * `backgroundConcurrency`. While it is busy (a request in flight, or one finished in the last
   * API_QUIET_MS): `backgroundMinWhileBusy`, or `orderFlowWhileBusy` for order-flow work, so a
   * steady stream of requests slows the backlog down without stopping it — and never fewer than
   * one once the oldest waiting invocation has waited STARVATION_MS (the bound that matters when
   * the minimum is 0).
   */
  private slots(urgency: Urgency): number {
    if (this.apiInFlight === 0 && Date.now() - this.apiLastDone >= API_QUIET_MS)
      return this.backgroundConcurrency;
    const oldest = this.oldestWaiting();
    const starved = oldest !== undefined && Date.now() - oldest >= STARVATION_MS;
    const floor = urgency === 'order-flow' ? this.orderFlowWhileBusy : 0;
    return Math.max(this.minWhileBusy, floor, starved ? 1 : 0);
  }

  /**
   * Whether an invocation of this urgency may start now: within the slots open to it, and
   * bookkeeping never in more than half of them, so a slot is always left for an order arriving
   * behind a burst of journal and posting batches.
   */
  private mayStart(urgency: Urgency): boolean {
    if (this.running >= this.slots(urgency)) return false;
    if (urgency !== 'bookkeeping') return true;
    if (this.orderFlowActive() && !this.bookkeepingOverdue()) return false;
    return this.runningBy.bookkeeping < Math.max(1, Math.floor(this.backgroundConcurrency / 2));
  }

  /**
   * Order flow is running or waiting: bookkeeping (journal, postings, KPI inputs) then waits, as it
   * does behind a busy API, so a burst of orders settles on all the CPU this machine has (on AWS
   * each function has its own). Bookkeeping catches up in the pauses.
   */
  private orderFlowActive(): boolean {
    return this.runningBy['order-flow'] > 0 || this.waiting['order-flow'].length > 0;
  }

  /** Under order flow that never pauses, one bookkeeping invocation at a time once it has waited this long. */
  private bookkeepingOverdue(): boolean {
    const oldest = oldestIn(this.waiting.bookkeeping);
    return (
      this.runningBy.bookkeeping === 0 &&
      oldest !== undefined &&
      Date.now() - oldest >= BOOKKEEPING_PATIENCE_MS
    );
  }

  private waitingAtLeast(urgency: Urgency): boolean {
    return URGENCIES.slice(0, URGENCIES.indexOf(urgency) + 1).some((u) => this.waiting[u].length > 0);
  }

  /** The most urgent waiter allowed to start, taken off its queue. */
  private takeNext(): Urgency | undefined {
    for (const urgency of URGENCIES) {
      const waiter = this.waiting[urgency][0];
      if (waiter && this.mayStart(urgency)) {
        this.waiting[urgency].shift();
        this.runningBy[urgency]++;
        waiter.wake();
        return urgency;
      }
    }
    return undefined;
  }

  /** Event-driven invocations running now, of every urgency. */
  private get running(): number {
    return this.runningBy['order-flow'] + this.runningBy.normal + this.runningBy.bookkeeping;
  }

  /** When the longest-waiting invocation was queued. */
  private oldestWaiting(): number | undefined {
    let oldest: number | undefined;
    for (const urgency of URGENCIES) {
      const since = oldestIn(this.waiting[urgency]);
      if (since !== undefined && (oldest === undefined || since < oldest)) oldest = since;
    }
    return oldest;
  }

  private dispatch(): void {
    while (this.takeNext() !== undefined);
    this.watchStarvation();
  }

  /**
   * Wakes the queue at the next moment `slots()` can grow by itself: when the API will have been
   * quiet long enough, or when the oldest waiting invocation starves with nothing running (only
   * possible when the busy minimum is 0). Otherwise only an invocation or a request ending frees
   * a slot, and both dispatch; a moment already past would only spin the timer.
   */
  private watchStarvation(): void {
    clearTimeout(this.starvationTimer);
    this.starvationTimer = undefined;
    const oldest = this.oldestWaiting();
    if (oldest === undefined) return;
    const now = Date.now();
    const moments = [
      this.apiInFlight === 0 ? this.apiLastDone + API_QUIET_MS : Number.POSITIVE_INFINITY,
      this.running === 0 ? oldest + STARVATION_MS : Number.POSITIVE_INFINITY,
    ].filter((t) => t > now && Number.isFinite(t));
    if (moments.length === 0) return;
    this.starvationTimer = setTimeout(
      () => {
        this.starvationTimer = undefined;
        this.dispatch();
      },
      Math.min(...moments) - now,
    );
    this.starvationTimer.unref();
  }

  private urgencyOf(fn: string): Urgency {
    return this.manifest.functions[fn]?.urgency ?? 'normal';
  }

  private limits(fn: string) {
    const spec = this.manifest.functions[fn];
    return { timeoutSeconds: spec?.timeoutSeconds ?? 10, memoryMb: spec?.memoryMb ?? 512 };
  }

  private entryOf(fn: string): string {
    const spec = this.manifest.functions[fn];
    if (!spec) throw new Error(`Unknown function ${fn}`);
    return pathToFileURL(path.join(this.root, spec.entry)).href;
  }

  private load(fn: string): Promise<Handler> {
    return loadHandler(this.entryOf(fn));
  }
}

/** The invocation outlived its function's timeout (the name Lambda reports for it). */
export class LambdaTimeout extends Error {
  constructor(readonly timeoutSeconds: number) {
    super(`Task timed out after ${timeoutSeconds.toFixed(2)} seconds`);
    this.name = 'Sandbox.Timedout';
  }
}

const isMiddyTimeout = (error: unknown) =>
  error instanceof Error &&
  error.name === 'TimeoutError' &&
  (error.cause as { package?: string } | undefined)?.package === '@middy/core';

/** How long event-driven work may wait behind a busy API before one invocation runs anyway. */
const STARVATION_MS = 250;
/** `LocalLambdasOptions.streamBatchLead`: at ~100 releases/s during a burst, about 2 s of work. */
const STREAM_BATCH_LEAD = 200;
/** How long bookkeeping waits behind order flow that never pauses before one invocation runs anyway. */
const BOOKKEEPING_PATIENCE_MS = 30_000;
/** The API counts as busy until it has been quiet this long. */
const API_QUIET_MS = 25;

const handlers = new Map<string, Promise<Handler>>();

/** Imports a handler module once per thread (its cold start). */
export function loadHandler(entry: string): Promise<Handler> {
  let pending = handlers.get(entry);
  if (!pending) {
    pending = import(entry).then((mod: { handler?: Handler }) => {
      if (typeof mod.handler !== 'function') throw new Error(`${entry} does not export a handler`);
      return mod.handler;
    });
    handlers.set(entry, pending);
  }
  return pending;
}

/** Calls a handler with the context Lambda would give it. */
export function runHandler(
  handler: Handler,
  fn: string,
  limits: { timeoutSeconds: number; memoryMb: number },
  event: unknown,
): Promise<unknown> {
  const deadline = Date.now() + limits.timeoutSeconds * 1000;
  const context = {
    callbackWaitsForEmptyEventLoop: false,
    functionName: `qm-local-${fn}`,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:qm-local-${fn}`,
    memoryLimitInMB: String(limits.memoryMb),
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/qm-local-${fn}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  } satisfies Context;
  return handler(event, context);
}

/** The main thread's side of local/lambda-worker.ts: one worker, requests matched by id. */
class BackgroundWorker {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  private nextId = 0;

  constructor(
    private readonly emulate: AwsEmulation,
    options: WorkerOptions,
  ) {
    // The environment as the runtime set it, copied now (the runtime sets it before any event).
    this.worker = new Worker(new URL('./lambda-worker.mjs', import.meta.url), {
      env: { ...process.env },
      execArgv: [],
      workerData: options,
    });
    this.worker.on('message', (reply: WorkerReply | WorkerAwsCall) => {
      if ('awsCall' in reply) return void this.answer(reply);
      const waiter = this.pending.get(reply.id);
      if (!waiter) return;
      this.pending.delete(reply.id);
      if (reply.ok) waiter.resolve(reply.result);
      else {
        const error = Object.assign(new Error(reply.error.message), reply.error.fields, {
          name: reply.error.name,
        });
        if (reply.error.stack) error.stack = reply.error.stack;
        waiter.reject(error);
      }
    });
    this.worker.on('error', (error) => this.failAll(error));
    this.worker.on('exit', (code) => this.failAll(new Error(`background worker exited with ${code}`)));
    // An idle worker does not keep the process alive.
    this.worker.unref();
  }

  invoke(req: Omit<WorkerRequest, 'id'>): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...req, id } satisfies WorkerRequest);
    });
  }

  async stop(): Promise<void> {
    await this.worker.terminate();
  }

  /**
   * Runs a handler's emulated AWS call here and posts the reply the HTTP emulator would send;
   * a call the worker answered itself (`accepted`) is only carried out.
   */
  private async answer(call: WorkerAwsCall): Promise<void> {
    if (call.accepted) {
      await this.emulate(call.target, call.body, call.accepted);
      return;
    }
    let reply: AwsCallReply;
    try {
      reply = { awsCall: call.awsCall, ...httpReply(await this.emulate(call.target, call.body)) };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      reply = {
        awsCall: call.awsCall,
        status: 500,
        headers: { 'x-amzn-errortype': 'InternalException' },
        body: JSON.stringify({ __type: 'InternalException', message }),
      };
    }
    this.worker.postMessage(reply);
  }

  private failAll(error: Error): void {
    for (const waiter of this.pending.values()) waiter.reject(error);
    this.pending.clear();
  }
}
