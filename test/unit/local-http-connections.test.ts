import { Agent, request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MANIFEST } from '../../lib/manifest/index.ts';
import { type HttpServerDeps, startHttpServer } from '../../local/http-server.ts';
import { freePort } from '../support/ports.ts';

/**
 * One GET on the agent's pooled connection: its status, the idle window the server announces, and
 * whether an idle socket was reused.
 */
function get(
  port: number,
  agent: Agent,
  path: string,
): Promise<{ status: number; keepAlive: string | undefined; reused: boolean }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent }, (res) => {
      res.resume();
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          keepAlive: res.headers['keep-alive']?.toString(),
          reused: req.reusedSocket,
        }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

describe('connections a sender keeps alive', () => {
  let port: number;
  let server: { close(): Promise<void> };
  beforeAll(async () => {
    port = await freePort();
    // Only /local/* is exercised: nothing else is needed behind it.
    server = await startHttpServer({
      port,
      host: '127.0.0.1',
      routes: MANIFEST.routes,
      consoleDir: 'console-not-served-here',
      identity: { publicJwk: { kty: 'RSA', kid: 'test' } },
      emulate: async () => ({ status: 200, body: {} }),
    } as unknown as HttpServerDeps);
  });
  afterAll(() => server?.close());

  it('stay open past 6 s idle, so a request sent on one is read, not reset', {
    timeout: 15_000,
  }, async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const path = '/local/auth/.well-known/jwks.json';
      const announced = { status: 200, keepAlive: 'timeout=65' };
      expect(await get(port, agent, path)).toEqual({ ...announced, reused: false });
      // Node's own default closes the socket after 5 s idle (and a 1 s grace); a sender's pool keeps
      // it longer. Real time: the server's socket timer is inside node:net, out of fake timers' reach.
      await new Promise((resolve) => setTimeout(resolve, 6_600));
      expect(await get(port, agent, path)).toEqual({ ...announced, reused: true });
    } finally {
      agent.destroy();
    }
  });
});
