import { Agent, type RequestOptions, request } from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';
import { cpuWindow } from './cpu-accounting.ts';

/**
 * The load generator of the HTTP benchmarks, on a worker thread: it keeps its own event loop,
 * so its timers stay punctual and its fetch work does not queue behind the runtime it measures
 * (as a separate load-test process would; both still share the machine's CPUs).
 */
export interface LoadRequest {
  body: string;
  headers: Record<string, string>;
}

export type LoadPlan =
  /**
   * Fires on a fixed schedule, never waiting for replies; latency runs from the scheduled time.
   * With `accountCpu`, also reports who used the CPUs meanwhile (cpu-accounting.ts).
   */
  | {
      mode: 'paced';
      url: string;
      requests: LoadRequest[];
      perSecond: number;
      accountCpu?: { dynamoDbPid: number };
    }
  /** Closed loop: `concurrency` senders, each sending its next request when the last returned. */
  | { mode: 'closed'; url: string; requests: LoadRequest[]; concurrency: number };

export interface LoadResult {
  /**
   * When the sender started its clock, in ms since the epoch (`performance.timeOrigin + now`):
   * paced request i was due at `startedAt + i * 1000 / perSecond`. The worker takes about a
   * second to start, so the caller's clock before `runLoad` is no stand-in for it.
   */
  startedAt: number;
  /** When the last reply arrived, on the same clock. */
  endedAt: number;
  seconds: number;
  /** Milliseconds, one per answered request, unsorted. */
  latencies: number[];
  statuses: Record<string, number>;
  errors: string[];
  maxSendLagMs: number;
  /** Paced with `accountCpu`, on Linux: CPU run and wait per thread group over the sending. */
  cpu?: Record<string, unknown>;
}

async function run(plan: LoadPlan): Promise<LoadResult> {
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  const errors = new Set<string>();
  let maxSendLagMs = 0;
  // node:http with kept-alive sockets, not fetch: undici spent ~1.8 ms of CPU per request here,
  // CPU the runtime under test then lacks on this 2-core machine (a real load test sends from
  // another machine).
  const agent = new Agent({ keepAlive: true });
  const send = async (r: LoadRequest, from: number) => {
    try {
      const status = await post(plan.url, r, agent);
      latencies.push(performance.now() - from);
      statuses[status] = (statuses[status] ?? 0) + 1;
    } catch (error) {
      statuses.error = (statuses.error ?? 0) + 1;
      const e = error as Error & { code?: string };
      errors.add(e.code ?? e.message);
    }
  };
  if (plan.mode === 'paced') await warmUp(plan.url, agent);
  const cpu = plan.mode === 'paced' && plan.accountCpu ? cpuWindow(plan.accountCpu.dynamoDbPid) : undefined;
  const t0 = performance.now();
  if (plan.mode === 'paced') {
    const interval = 1000 / plan.perSecond;
    const inFlight: Promise<void>[] = [];
    for (const [i, r] of plan.requests.entries()) {
      const due = t0 + i * interval;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
      maxSendLagMs = Math.max(maxSendLagMs, performance.now() - due);
      inFlight.push(send(r, due));
    }
    await Promise.all(inFlight);
  } else {
    let next = 0;
    await Promise.all(
      Array.from({ length: plan.concurrency }, async () => {
        for (let i = next++; i < plan.requests.length; i = next++) {
          await send(plan.requests[i] as LoadRequest, performance.now());
        }
      }),
    );
  }
  const t1 = performance.now();
  const used = cpu?.finish();
  agent.destroy();
  return {
    startedAt: performance.timeOrigin + t0,
    endedAt: performance.timeOrigin + t1,
    seconds: (t1 - t0) / 1000,
    latencies,
    statuses,
    errors: [...errors].slice(0, 3),
    maxSendLagMs,
    ...(used ? { cpu: used } : {}),
  };
}

/** Connections a paced run opens, and rounds of requests it sends on them, before its clock starts. */
const WARM_UP_CONNECTIONS = 16;
const WARM_UP_ROUNDS = 4;

/**
 * Before a paced run's clock starts, the sender opens its connections and runs its own request
 * code a few times: GETs to the same URL, which the gateway answers 404 without invoking a
 * function. A paced run counts every delay from the scheduled time, so otherwise its first
 * requests carry the sender's TCP handshakes and not-yet-compiled code (measured: about the first
 * ten requests of each run at 45–100 ms), which are the load generator's cost, not intake's.
 */
async function warmUp(url: string, agent: Agent): Promise<void> {
  for (let round = 0; round < WARM_UP_ROUNDS; round++) {
    await Promise.all(
      Array.from({ length: WARM_UP_CONNECTIONS }, () =>
        requestStatus(url, { method: 'GET', agent, headers: {} }).catch(() => undefined),
      ),
    );
  }
}

/** POSTs one request and resolves with its status once the whole reply has been read. */
function post(url: string, r: LoadRequest, agent: Agent): Promise<number> {
  return requestStatus(
    url,
    { method: 'POST', agent, headers: { ...r.headers, 'content-length': Buffer.byteLength(r.body) } },
    r.body,
  );
}

/** Sends one request and resolves with its status once the whole reply has been read. */
function requestStatus(url: string, options: RequestOptions, body?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, options, (res) => {
      res.resume();
      res.once('end', () => resolve(res.statusCode ?? 0));
      res.once('error', reject);
    });
    req.once('error', reject);
    req.end(body);
  });
}

if (parentPort) {
  const port = parentPort;
  run(workerData as LoadPlan).then((result) => port.postMessage(result));
}
