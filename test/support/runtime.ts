import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Role } from '../../lib/manifest/types.ts';
import { type LocalRuntime, type RuntimeOptions, startRuntime } from '../../local/runtime.ts';
import { freePort } from './ports.ts';

export interface TestRuntime extends LocalRuntime {
  /** fetch against the runtime with a bearer token for `role` (or none) and JSON handling. */
  api(
    method: string,
    path: string,
    opts?: { role?: Role | null; body?: unknown; headers?: Record<string, string> },
  ): Promise<{ status: number; body: any; headers: Headers }>;
}

/**
 * Starts the real local runtime on free ports with DynamoDB in memory and a throwaway data
 * directory; `stop()` removes it. Bus retries are fast so dead-letter paths finish quickly.
 */
export async function startTestRuntime(options: RuntimeOptions = {}): Promise<TestRuntime> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'qm-test-'));
  const runtime = await startRuntime({
    port: await freePort(),
    ddbPort: await freePort(),
    s3Port: await freePort(),
    dataDir,
    inMemory: true,
    schedules: false,
    buildConsole: false,
    busPolicy: { attempts: 3, backoffMs: () => 10 },
    ...options,
  });
  const tokens = new Map<string, string>();
  const tokenFor = async (role: Role) => {
    let t = tokens.get(role);
    if (!t) {
      t = await runtime.token(role);
      tokens.set(role, t);
    }
    return t;
  };
  return {
    ...runtime,
    async api(method, p, opts = {}) {
      const role = opts.role === undefined ? 'admin' : opts.role;
      const headers: Record<string, string> = { ...(opts.headers ?? {}) };
      if (role) headers.authorization = `Bearer ${await tokenFor(role)}`;
      let body: string | undefined;
      if (opts.body !== undefined) {
        body = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
        headers['content-type'] ??= 'application/json';
      }
      const res = await fetch(`${runtime.url}${p}`, {
        method,
        headers,
        ...(body !== undefined ? { body } : {}),
      });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        // not JSON: keep the text
      }
      return { status: res.status, body: parsed, headers: res.headers };
    },
    async stop() {
      await runtime.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
