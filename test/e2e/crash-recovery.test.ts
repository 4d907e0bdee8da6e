import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { npmStart, npmToken } from '../support/npm-start.ts';
import { freePort } from '../support/ports.ts';

/**
 * Issue 13, "Nothing lost": `npm start` on a persistent data directory is killed with -9 in the
 * middle of a burst of stock adjustments, started again on the same directory, and the whole
 * burst is sent again with the same idempotency keys, as a channel or a scanner that never got
 * its answers would. Afterwards every adjustment counts exactly once — in the stock and in the
 * ledger the stream consumer writes — the invariant checker finds nothing, no replayed request
 * failed, and no DynamoDB Local is left running for the directory.
 */

const SKU = 'CRASH-SKU-01';
const LOCATION = 'CRASH-DC';
const BURST = 500;
/** Answers to wait for before the crash: well into the burst, well before its end. */
const KILL_AFTER = 150;
/** Requests in flight at once, about what a busy channel sends. */
const IN_FLIGHT = 16;

let env: Record<string, string>;
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'qm-crash-'));
  env = {
    PORT: String(await freePort()),
    QM_DDB_PORT: String(await freePort()),
    QM_S3_PORT: String(await freePort()),
    QM_DATA_DIR: dataDir,
  };
});
/** Runtimes still running if an assertion failed half-way: killed, so no test leaves one behind. */
const running = new Set<{ kill(): Promise<void> }>();
afterAll(async () => {
  for (const life of running) await life.kill().catch(() => undefined);
  await rm(dataDir, { recursive: true, force: true });
});

const adjustment = (i: number) => ({
  sku: SKU,
  locationId: LOCATION,
  delta: 1,
  reason: 'cycle count',
  idempotencyKey: `crash-burst-${i}`,
});

async function call(url: string, token: string, method: string, p: string, body?: unknown) {
  const res = await fetch(`${url}${p}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as any) : undefined };
}

/** Runs `send(i)` for i in [0, count) with `width` requests in flight, until done or `stop()` says so. */
async function inParallel(
  count: number,
  width: number,
  send: (i: number) => Promise<void>,
  stop = () => false,
) {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < count && !stop()) await send(next++);
    }),
  );
}

/** Every movement of the SKU in the ledger, following the cursor. */
async function ledgerOf(
  url: string,
  token: string,
): Promise<{ movementId: string; idempotencyKey?: string }[]> {
  const items: { movementId: string; idempotencyKey?: string }[] = [];
  let cursor: string | undefined;
  do {
    const query = `limit=500&order=asc${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const page = await call(url, token, 'GET', `/api/inventory/${SKU}/ledger?${query}`);
    expect(page.status).toBe(200);
    items.push(...page.body.items);
    cursor = page.body.cursor;
  } while (cursor);
  return items;
}

/** Pids of DynamoDB Local processes serving this data directory (their command line names it). */
async function dynamoDbLocalsFor(dir: string): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    const args = cmdline.split('\0');
    if (args.some((a) => a.includes('java')) && args.includes(path.join(dir, 'dynamodb')))
      pids.push(Number(entry));
  }
  return pids;
}

/** Waits (up to 10 s) until no DynamoDB Local serves the directory; answers those still running. */
async function dynamoDbLocalsLeft(dir: string): Promise<number[]> {
  let left = await dynamoDbLocalsFor(dir);
  for (let i = 0; i < 40 && left.length > 0; i++) {
    await new Promise((r) => setTimeout(r, 250));
    left = await dynamoDbLocalsFor(dir);
  }
  return left;
}

describe('a runtime killed with -9 mid-burst', () => {
  it('loses nothing: after a restart and a full replay, stock, ledger and invariants agree', async () => {
    // --- first life: set-up, then a burst cut short by kill -9 ---
    const first = await npmStart(env);
    running.add(first);
    const token = await npmToken(env, 'admin');
    const location = { name: 'Crash DC', type: 'warehouse' };
    expect((await call(first.url, token, 'PUT', `/api/locations/${LOCATION}`, location)).status).toBe(201);
    expect((await call(first.url, token, 'PUT', `/api/skus/${SKU}`, { name: 'Crash SKU' })).status).toBe(201);

    let answered = 0;
    let killed: Promise<void> | undefined;
    await inParallel(
      BURST,
      IN_FLIGHT,
      async (i) => {
        try {
          const res = await call(first.url, token, 'POST', '/api/inventory/adjustments', adjustment(i));
          if (res.status === 201) answered++;
        } catch {
          // The runtime is gone: this request's fate is unknown, as a client's would be.
        }
        if (answered >= KILL_AFTER) killed ??= first.kill();
      },
      () => killed !== undefined,
    );
    await killed;
    running.delete(first);
    expect(answered).toBeGreaterThanOrEqual(KILL_AFTER);
    expect(answered).toBeLessThan(BURST);
    // DynamoDB Local (its own process group, so the kill did not reach it) follows its parent.
    expect(await dynamoDbLocalsLeft(dataDir)).toEqual([]);

    // --- second life: same data directory, the whole burst again ---
    const second = await npmStart(env);
    running.add(second);
    try {
      // The process the final check looks for is found while it runs (the check is not vacuous).
      expect(await dynamoDbLocalsFor(dataDir)).toHaveLength(1);
      const statuses = new Map<number, number>();
      await inParallel(BURST, IN_FLIGHT, async (i) => {
        for (;;) {
          const res = await call(second.url, token, 'POST', '/api/inventory/adjustments', adjustment(i));
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          if (res.status !== 503) return;
          // A busy service says when to come back; a client that respects it loses nothing.
          const wait = Number(res.headers.get('retry-after') ?? '1');
          await new Promise((r) => setTimeout(r, Math.max(1, wait) * 1000));
        }
      });
      const counts = Object.fromEntries(statuses);
      expect(counts[500] ?? 0, `replay answers ${JSON.stringify(counts)}`).toBe(0);
      // Every key ended answered: applied now (201) or the first outcome of a key applied before (200).
      expect((counts[200] ?? 0) + (counts[201] ?? 0), JSON.stringify(counts)).toBe(BURST);
      // What the first life applied is answered as a repeat, never applied twice.
      expect(counts[200] ?? 0).toBeGreaterThanOrEqual(answered);

      // Settled: the ledger (written by the stream consumer) has stopped growing.
      let ledger = await ledgerOf(second.url, token);
      for (let stable = 0, deadline = Date.now() + 90_000; stable < 3 && Date.now() < deadline; ) {
        await new Promise((r) => setTimeout(r, 1_000));
        const now = await ledgerOf(second.url, token);
        stable = now.length === ledger.length && now.length >= BURST ? stable + 1 : 0;
        ledger = now;
      }

      const stock = await call(second.url, token, 'GET', `/api/inventory/${SKU}`);
      expect(stock.status).toBe(200);
      expect(stock.body.positions).toMatchObject([{ locationId: LOCATION, onHand: BURST, available: BURST }]);

      // One movement per adjustment: none skipped across the crash, none written twice.
      expect(new Set(ledger.map((m) => m.movementId)).size).toBe(ledger.length);
      expect(ledger).toHaveLength(BURST);
      expect(new Set(ledger.map((m) => m.idempotencyKey))).toEqual(
        new Set(Array.from({ length: BURST }, (_, i) => adjustment(i).idempotencyKey)),
      );

      const check = await call(second.url, token, 'POST', '/api/inventory/checks', { sku: SKU });
      expect(check.status).toBe(200);
      expect(check.body).toMatchObject({ mismatches: [], lagging: 0 });

      // No stream record was given up on (a consumer's failures would be written here).
      const streamState = await readdir(path.join(dataDir, 'streams'));
      expect(streamState.filter((f) => f.startsWith('failures-'))).toEqual([]);
      expect(streamState).toContain('checkpoint-inventory-ledger.json');
    } finally {
      running.delete(second);
      expect(await second.interrupt()).toContain('Stopped. Data kept in');
    }

    // --- nothing left behind after the final stop ---
    expect(await dynamoDbLocalsLeft(dataDir)).toEqual([]);
  });
});
