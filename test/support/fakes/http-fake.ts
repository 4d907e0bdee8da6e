import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** Faults a fake channel API injects before its normal answer, as real platforms do. */
export interface Faults {
  /** Answer this status (5xx) to every request while set. */
  failWith?: number;
  /** The next N requests get 429 with `Retry-After: retryAfter` seconds. */
  rateLimitNext?: number;
  retryAfter?: string;
  /** The next N requests get 503. */
  unavailableNext?: number;
  /** Every answer is this late. */
  delayMs?: number;
}

export interface FakeServer {
  url: string;
  faults: Faults;
  /** Requests seen, with their answer status. */
  requests: { method: string; path: string; status: number }[];
  close(): Promise<void>;
}

export type Route = (
  req: IncomingMessage,
  body: string,
) => Promise<{ status: number; body: unknown; headers?: Record<string, string> }>;

/** An HTTP server on 127.0.0.1 (a free port) that applies `faults` and then `route`. */
export async function startFake(route: Route): Promise<FakeServer> {
  const faults: Faults = {};
  const requests: FakeServer['requests'] = [];
  const reply = (
    res: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  };
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const path = req.url ?? '/';
    const log = (status: number) => requests.push({ method: req.method ?? 'GET', path, status });
    if (faults.delayMs) await sleep(faults.delayMs);
    if (faults.failWith) {
      log(faults.failWith);
      return reply(res, faults.failWith, { errors: 'Internal Server Error' });
    }
    if (faults.rateLimitNext) {
      faults.rateLimitNext--;
      log(429);
      return reply(
        res,
        429,
        { errors: 'Exceeded 2 calls per second' },
        { 'retry-after': faults.retryAfter ?? '1' },
      );
    }
    if (faults.unavailableNext) {
      faults.unavailableNext--;
      log(503);
      return reply(res, 503, { errors: 'Service Unavailable' });
    }
    try {
      const out = await route(req, body);
      log(out.status);
      reply(res, out.status, out.body, out.headers);
    } catch (error) {
      log(500);
      reply(res, 500, { errors: (error as Error).message });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    faults,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
