import type { IncomingMessage } from 'node:http';
import { createServer } from 'node:net';
import { networkInterfaces } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MANIFEST } from '../../lib/manifest/index.ts';
import { type HttpServerDeps, localOnlyRefusal, startHttpServer } from '../../local/http-server.ts';
import { assertPortFree, isLoopbackAddress, isLoopbackHostname } from '../../local/network.ts';
import { freePort } from '../support/ports.ts';

/** A request as the gateway sees it: who connected, and the Host and Origin they sent. */
const fakeRequest = (remoteAddress: string, headers: Record<string, string> = {}) =>
  ({ socket: { remoteAddress }, headers }) as unknown as IncomingMessage;

describe('who counts as "this machine"', () => {
  it('takes 127.0.0.0/8, ::1 and IPv4-mapped 127.x as loopback, nothing else', () => {
    for (const address of ['127.0.0.1', '127.4.5.6', '::1', '::ffff:127.0.0.1'])
      expect(isLoopbackAddress(address), address).toBe(true);
    for (const address of [
      '192.0.2.2',
      '::ffff:192.0.2.2',
      '10.0.0.1',
      '0.0.0.0',
      '::',
      'localhost',
      '',
      undefined,
    ])
      expect(isLoopbackAddress(address), String(address)).toBe(false);
  });

  it('takes localhost names and loopback addresses as loopback host names', () => {
    for (const name of ['localhost', 'app.localhost', '127.0.0.1', '[::1]'])
      expect(isLoopbackHostname(name), name).toBe(true);
    for (const name of ['evil.example', 'localhost.evil.example', '192.0.2.2'])
      expect(isLoopbackHostname(name), name).toBe(false);
  });

  it('lets a loopback caller reach /local/* with its own Host and Origin, or with the console dev server', () => {
    expect(localOnlyRefusal(fakeRequest('127.0.0.1', { host: '127.0.0.1:3000' }))).toBeUndefined();
    expect(
      localOnlyRefusal(
        fakeRequest('::ffff:127.0.0.1', { host: 'localhost:5173', origin: 'http://localhost:5173' }),
      ),
    ).toBeUndefined();
  });

  it('refuses a network peer, a DNS name rebound to 127.0.0.1, and another site in the browser', () => {
    expect(localOnlyRefusal(fakeRequest('192.0.2.9', { host: '127.0.0.1:3000' }))).toMatch(/peer/);
    expect(localOnlyRefusal(fakeRequest('127.0.0.1', { host: 'evil.example:3000' }))).toMatch(/Host/);
    expect(
      localOnlyRefusal(fakeRequest('127.0.0.1', { host: '127.0.0.1:3000', origin: 'https://evil.example' })),
    ).toMatch(/Origin/);
  });
});

describe('a port that is taken', () => {
  it('is named with the variable that moves the listener elsewhere', async () => {
    const port = await freePort();
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(port, '0.0.0.0', resolve));
    try {
      await expect(assertPortFree(port, '127.0.0.1', 'local S3', 'QM_S3_PORT')).rejects.toThrow(
        `Port ${port} is already in use, so local S3 cannot listen on it. Stop whatever holds it`,
      );
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
    await expect(assertPortFree(port, '127.0.0.1', 'local S3', 'QM_S3_PORT')).resolves.toBeUndefined();
  });
});

describe('the gateway opened to the network (QM_BIND=0.0.0.0)', () => {
  const external = Object.values(networkInterfaces())
    .flat()
    .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;
  let port: number;
  let server: { close(): Promise<void> };
  beforeAll(async () => {
    port = await freePort();
    // Only the /local/* and emulated-AWS paths are exercised: nothing else is needed behind them.
    const deps = {
      port,
      host: '0.0.0.0',
      routes: MANIFEST.routes,
      consoleDir: 'console-not-served-here',
      identity: { publicJwk: { kty: 'RSA', kid: 'test' } },
      emulate: async () => ({ status: 200, body: { emulated: true } }),
    } as unknown as HttpServerDeps;
    server = await startHttpServer(deps);
  });
  afterAll(() => server?.close());

  it('still serves /local/* and the emulated AWS APIs to this machine', async () => {
    const keys = await fetch(`http://127.0.0.1:${port}/local/auth/.well-known/jwks.json`);
    expect(keys.status).toBe(200);
    const aws = await fetch(`http://127.0.0.1:${port}/`, {
      method: 'POST',
      headers: { 'x-amz-target': 'AWSEvents.PutEvents', 'content-type': 'application/x-amz-json-1.1' },
      body: '{}',
    });
    expect(await aws.json()).toEqual({ emulated: true });
  });

  it('refuses them to a peer on the network with 403 and the stable error body', async () => {
    if (!external) {
      // No interface but loopback here: the peer check itself is what a network caller meets.
      expect(localOnlyRefusal(fakeRequest('192.0.2.9'))).toMatch(/peer/);
      return;
    }
    const keys = await fetch(`http://${external}:${port}/local/auth/.well-known/jwks.json`);
    expect(keys.status).toBe(403);
    expect(await keys.json()).toEqual({
      error: {
        code: 'FORBIDDEN',
        message: 'This endpoint of the local runtime answers only to this machine',
        details: { reason: 'LOCAL_ONLY' },
      },
    });
    const aws = await fetch(`http://${external}:${port}/`, {
      method: 'POST',
      headers: { 'x-amz-target': 'AWSEvents.PutEvents' },
      body: '{}',
    });
    expect(aws.status).toBe(403);
    expect(aws.headers.get('x-amzn-errortype')).toBe('AccessDeniedException');
  });
});
