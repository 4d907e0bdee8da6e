import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { round } from './context.ts';

/** One thread's name and its scheduler counters, in ms. */
interface ThreadTimes {
  name: string;
  ranMs: number;
  waitedMs: number;
}

type Snapshot = Map<string, ThreadTimes>;

export interface CpuWindow {
  /** Call at the end of the window. */
  finish(): Record<string, unknown> | undefined;
}

/**
 * Who used the machine's CPUs during a measured window, and who waited for one: per thread group
 * of this process (the runtime and the load sender) and of DynamoDB Local (`dynamoDbPid`), from
 * Linux's per-thread counters (`/proc/<pid>/task/<tid>/schedstat`: time run, time runnable but
 * waiting). On a small machine a latency tail is often a thread waiting for a CPU, not a slow
 * step; this says which. Called on the load sender's thread, which then counts as `loadSender`.
 * Elsewhere (no /proc) `finish` returns undefined and nothing is reported.
 */
export function cpuWindow(dynamoDbPid: number): CpuWindow {
  const self = thisThreadId();
  const started = performance.now();
  const before = take(process.pid, dynamoDbPid);
  return {
    finish() {
      const after = take(process.pid, dynamoDbPid);
      if (!before || !after) return undefined;
      const seconds = (performance.now() - started) / 1000;
      const groups = new Map<string, { ranMs: number; waitedMs: number }>();
      for (const [key, now] of after) {
        const then = before.get(key);
        const group = groupOf(key, now.name, self);
        const g = groups.get(group) ?? { ranMs: 0, waitedMs: 0 };
        g.ranMs += now.ranMs - (then?.ranMs ?? 0);
        g.waitedMs += now.waitedMs - (then?.waitedMs ?? 0);
        groups.set(group, g);
      }
      const ranMs = [...groups.values()].reduce((sum, g) => sum + g.ranMs, 0);
      const cpus = availableParallelism();
      return {
        seconds: round(seconds),
        cpus,
        busyShare: round(ranMs / 1000 / (cpus * seconds)),
        threads: Object.fromEntries(
          [...groups]
            .sort((a, b) => b[1].ranMs - a[1].ranMs)
            .map(([group, g]) => [group, { ranS: round(g.ranMs / 1000), waitedS: round(g.waitedMs / 1000) }]),
        ),
      };
    },
  };
}

/**
 * The bench process's threads: its main thread (the runtime's gateway, API handlers, stream
 * poller and bus), the calling thread (the load sender), and the rest (the background worker,
 * V8's and libuv's helpers). DynamoDB Local's: Jetty's request threads, its one SQLite thread, and
 * the JVM's own (JIT, GC).
 */
function groupOf(key: string, name: string, self: string | undefined): string {
  const [pid, tid] = key.split('/');
  if (pid === String(process.pid)) {
    if (tid === pid) return 'runtimeMainThread';
    return tid === self ? 'loadSender' : 'otherNodeThreads';
  }
  if (name.startsWith('qtp')) return 'dynamoDbRequestThreads';
  if (name.startsWith('SQLiteQueue')) return 'dynamoDbSqliteThread';
  return 'dynamoDbJvmThreads';
}

/** Linux names the calling thread's own task in /proc/thread-self (`<pid>/task/<tid>`). */
function thisThreadId(): string | undefined {
  try {
    return readlinkSync('/proc/thread-self').split('/').pop();
  } catch {
    return undefined;
  }
}

function take(...pids: number[]): Snapshot | undefined {
  const snapshot: Snapshot = new Map();
  for (const pid of pids) {
    let tids: string[];
    try {
      tids = readdirSync(`/proc/${pid}/task`);
    } catch {
      return undefined;
    }
    for (const tid of tids) {
      try {
        const [ran, waited] = readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ');
        const name = readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
        snapshot.set(`${pid}/${tid}`, { name, ranMs: Number(ran) / 1e6, waitedMs: Number(waited) / 1e6 });
      } catch {
        // The thread ended between the listing and the read.
      }
    }
  }
  return snapshot;
}
