import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { connect, createServer } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import path from 'node:path';
import { importJWK, type JWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MANIFEST } from '../../lib/manifest/index.ts';
import type { SystemManifest } from '../../lib/manifest/types.ts';
import { LOCAL_AUDIENCE, localIssuer } from '../../local/config.ts';
import { startDynamoDbLocal } from '../../local/dynamodb.ts';
import { npmStart } from '../support/npm-start.ts';
import { freePort } from '../support/ports.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';

/*
 * "Nobody let in", for the local runtime: it listens on loopback only, keeps Lambda's limits,
 * refuses tokens that never expire, answers a timed-out function with 503 + Retry-After, and
 * never leaves DynamoDB Local running behind it.
 */

/** The system manifest plus one route whose function has a 1 s timeout. */
const manifest: SystemManifest = {
  ...MANIFEST,
  functions: {
    ...MANIFEST.functions,
    slowFixture: {
      entry: 'test/unit/fixtures/slow-handler.ts',
      description: 'sleeps or fails on request (tests)',
      timeoutSeconds: 1,
    },
  },
  routes: [
    ...MANIFEST.routes,
    { method: 'GET', path: '/api/test/slow', fn: 'slowFixture', auth: { roles: ['admin'] } },
  ],
};

/** An IPv4 address of this machine that is not loopback, if it has one. */
function externalIPv4(): string | undefined {
  return Object.values(networkInterfaces())
    .flat()
    .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;
}

/** Resolves with the connect error's code, or 'CONNECTED' if something accepted. */
function tryConnect(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.setTimeout(3_000, () => {
      socket.destroy();
      resolve('TIMEOUT');
    });
    socket.once('connect', () => {
      socket.destroy();
      resolve('CONNECTED');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'ERROR'));
  });
}

/** The local addresses listening on `port`, from the kernel's socket tables (Linux). */
function listeningAddresses(port: number): string[] {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  const found: string[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const [, local, , state] = line.trim().split(/\s+/);
      if (state !== '0A' || !local?.endsWith(`:${hexPort}`)) continue; // 0A: LISTEN
      found.push(decodeProcAddress(local.slice(0, local.indexOf(':'))));
    }
  }
  return found;
}

/** /proc/net addresses are 32-bit words in host (little-endian) order. */
function decodeProcAddress(hex: string): string {
  const words = (hex.match(/.{8}/g) ?? []).map((w) =>
    Buffer.from(w, 'hex').reverse().toString('hex').padStart(8, '0'),
  );
  if (words.length === 1) return (words[0]?.match(/../g) ?? []).map((b) => Number.parseInt(b, 16)).join('.');
  const [a, b, c, d] = words;
  if (a === '00000000' && b === '00000000' && c === '0000ffff' && d)
    return `::ffff:${(d.match(/../g) ?? []).map((x) => Number.parseInt(x, 16)).join('.')}`;
  return words.join('');
}

const isLoopbackListener = (address: string) =>
  /^(::ffff:)?127\./.test(address) || address === `${'0'.repeat(31)}1`;

/** Running, not merely a zombie nobody has reaped yet (PID 1 in a container may never reap). */
function pidAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

async function waitUntil(check: () => boolean, withinMs: number): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  while (!check()) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
  return true;
}

describe('the local runtime on loopback, with Lambda limits', () => {
  let rt: TestRuntime;
  beforeAll(async () => {
    rt = await startTestRuntime({ manifest });
  });
  afterAll(() => rt?.stop());

  it('listens on 127.0.0.1 only: gateway, DynamoDB Local and local S3', async () => {
    const ports = { gateway: rt.config.port, dynamodb: rt.config.ddbPort, s3: rt.config.s3Port };
    for (const [name, port] of Object.entries(ports)) {
      const addresses = listeningAddresses(port);
      expect(addresses, `${name} listeners`).not.toHaveLength(0);
      expect(
        addresses.filter((a) => !isLoopbackListener(a)),
        `${name} non-loopback listeners`,
      ).toEqual([]);
      expect(await tryConnect('127.0.0.1', port), `${name} from loopback`).toBe('CONNECTED');
    }
    const external = externalIPv4();
    // Without a non-loopback interface the kernel's tables above are the whole proof.
    if (external) {
      for (const [name, port] of Object.entries(ports)) {
        expect(await tryConnect(external, port), `${name} from ${external}`).toBe('ECONNREFUSED');
      }
    }
    expect(rt.url).toBe(`http://127.0.0.1:${rt.config.port}`);
  });

  it('issues tokens at /local/auth/token to a caller on this machine', async () => {
    const res = await fetch(`${rt.url}/local/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ role: 'admin' }),
    });
    expect(res.status).toBe(200);
    const { idToken } = (await res.json()) as { idToken: string };
    const ok = await fetch(`${rt.url}/api/test/slow`, { headers: { authorization: `Bearer ${idToken}` } });
    expect(ok.status).toBe(200);
  });

  it('refuses /local/* to a web page of another site and to a rebound DNS name', async () => {
    const fromOtherSite = await fetch(`${rt.url}/local/events`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', origin: 'https://evil.example' },
      body: JSON.stringify({ Entries: [{ Source: 'x', DetailType: 'y', Detail: '{}' }] }),
    });
    expect(fromOtherSite.status).toBe(403);
    expect(await fromOtherSite.json()).toEqual({
      error: {
        code: 'FORBIDDEN',
        message: 'This endpoint of the local runtime answers only to this machine',
        details: { reason: 'LOCAL_ONLY' },
      },
    });
    // fetch will not send another Host; a page on a rebound name would.
    const rebound = await new Promise<number | undefined>((resolve, reject) =>
      request(`${rt.url}/local/events`, { headers: { host: `evil.example:${rt.config.port}` } }, (res) => {
        res.resume();
        resolve(res.statusCode);
      })
        .on('error', reject)
        .end(),
    );
    expect(rebound).toBe(403);
    expect((await rt.api('GET', '/local/events')).status).toBe(200);
  });

  it('answers a body over 6 MB with 413 PAYLOAD_TOO_LARGE, and takes one of exactly 6 MB', async () => {
    const limit = 6 * 1024 * 1024;
    const tooLarge = await rt.api('POST', '/api/inventory/adjustments', { body: 'x'.repeat(limit + 1) });
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body.error).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', details: { limitBytes: limit } });
    // Streamed without a content-length, the limit holds as the bytes arrive.
    const chunk = Buffer.alloc(1024 * 1024, 'x');
    const streamed = await fetch(`${rt.url}/local/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      duplex: 'half',
      body: new ReadableStream({
        start(controller) {
          for (let i = 0; i < 7; i++) controller.enqueue(chunk);
          controller.close();
        },
      }),
    } as RequestInit);
    expect(streamed.status).toBe(413);
    // At the limit the body reaches the handler (which rejects it as invalid JSON, not as too large).
    const atLimit = await rt.api('POST', '/api/inventory/adjustments', { body: 'x'.repeat(limit) });
    expect(atLimit.status).toBe(400);
  });

  it('refuses a token without exp (or iat) with 401, and takes the same token with them', async () => {
    const privateJwk = JSON.parse(
      await readFile(path.join(rt.config.dataDir, 'keys', 'signing-key.json'), 'utf8'),
    ) as JWK;
    const key = await importJWK(privateJwk, 'RS256');
    const token = (claims: { exp: boolean; iat: boolean }) => {
      const jwt = new SignJWT({ 'cognito:groups': ['admin'], token_use: 'id' })
        .setProtectedHeader({ alg: 'RS256', kid: privateJwk.kid ?? 'qm-local-1' })
        .setSubject('local|forever')
        .setIssuer(localIssuer(rt.config.port))
        .setAudience(LOCAL_AUDIENCE);
      if (claims.iat) jwt.setIssuedAt();
      if (claims.exp) jwt.setExpirationTime('1h');
      return jwt.sign(key);
    };
    const call = async (t: string) =>
      (await fetch(`${rt.url}/api/test/slow`, { headers: { authorization: `Bearer ${t}` } })).status;
    expect(await call(await token({ exp: true, iat: true }))).toBe(200);
    expect(await call(await token({ exp: false, iat: true }))).toBe(401);
    expect(await call(await token({ exp: true, iat: false }))).toBe(401);
  });

  it('answers a timed-out function with 503 and Retry-After; a failing one stays 500', async () => {
    // Plain: the runtime's deadline ends it. middy: the handlers' wrapper ends it 5 ms earlier.
    for (const wrapper of ['', '&middy=1']) {
      const started = Date.now();
      const timedOut = await rt.api('GET', `/api/test/slow?sleepMs=3000${wrapper}`);
      expect(Date.now() - started).toBeLessThan(2_900);
      expect(timedOut.status, wrapper).toBe(503);
      const retryAfter = Number(timedOut.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(5);
      expect(timedOut.body).toEqual({
        error: {
          code: 'SERVICE_UNAVAILABLE',
          message: expect.any(String),
          details: { retryAfterSeconds: retryAfter },
        },
      });
    }
    const failed = await rt.api('GET', '/api/test/slow?fail=1');
    expect(failed.status).toBe(500);
    expect(failed.body.error.code).toBe('INTERNAL');
    expect((await rt.api('GET', '/api/test/slow?sleepMs=10')).status).toBe(200);
  });
});

describe('DynamoDB Local never outlives its runtime', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'qm-hardening-'));
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it('exits by itself when `npm start` is killed with -9, and the next start on the data works', async () => {
    const env = {
      PORT: String(await freePort()),
      QM_DDB_PORT: String(await freePort()),
      QM_S3_PORT: String(await freePort()),
      QM_DATA_DIR: dataDir,
    };
    const pidFile = path.join(dataDir, 'dynamodb.pid');
    const first = await npmStart(env);
    const record = JSON.parse(await readFile(pidFile, 'utf8')) as { pid: number; port: number };
    expect(record.port).toBe(Number(env.QM_DDB_PORT));
    expect(readFileSync(`/proc/${record.pid}/cmdline`, 'utf8')).toContain('DynamoDBLocal');

    await first.kill();
    // Nobody stops it: its watchdog sees the runtime's end of stdin close.
    expect(await waitUntil(() => !pidAlive(record.pid), 10_000)).toBe(true);

    const second = await npmStart(env);
    try {
      const token = await fetch(`${second.url}/local/auth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ role: 'admin' }),
      });
      expect(token.status).toBe(200);
      const health = await fetch(`${second.url}/health`);
      expect(health.status).toBe(200);
    } finally {
      expect(await second.interrupt()).toContain('Stopped. Data kept in');
    }
    // A clean stop leaves no pid file behind.
    await expect(readFile(pidFile, 'utf8')).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('stops a DynamoDB Local an earlier run left on the same data dir, and nothing else', async () => {
    const dir = path.join(dataDir, 'stale');
    await mkdir(dir, { recursive: true });
    // A pid file naming an unrelated live process (the pid reused) must never get it killed.
    const bystander = spawn('sleep', ['60'], { stdio: 'ignore' });
    await writeFile(
      path.join(dir, 'dynamodb.pid'),
      JSON.stringify({ pid: bystander.pid, port: 1, host: '127.0.0.1', startedAt: new Date().toISOString() }),
    );
    let leftover: Awaited<ReturnType<typeof startDynamoDbLocal>> | undefined;
    try {
      leftover = await startDynamoDbLocal({ port: await freePort(), dataDir: dir });
      expect(pidAlive(bystander.pid as number)).toBe(true);
      // `leftover` stays up (this process holds its stdin), as one whose runtime hung would.
      const next = await startDynamoDbLocal({ port: await freePort(), dataDir: dir });
      try {
        expect(pidAlive(leftover.pid)).toBe(false);
        expect(pidAlive(next.pid)).toBe(true);
        const record = JSON.parse(await readFile(path.join(dir, 'dynamodb.pid'), 'utf8'));
        expect(record.pid).toBe(next.pid);
      } finally {
        await next.stop();
      }
    } finally {
      bystander.kill('SIGKILL');
      await leftover?.stop();
    }
  });

  it('refuses to start on a port something else already holds, instead of talking to it', async () => {
    const port = await freePort();
    const squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen(port, '0.0.0.0', resolve));
    try {
      await expect(startDynamoDbLocal({ port, inMemory: true })).rejects.toThrow(
        `Port ${port} is already in use`,
      );
    } finally {
      await new Promise((resolve) => squatter.close(resolve));
    }
  });
});
