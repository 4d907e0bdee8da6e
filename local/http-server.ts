import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import {
  type FunctionRouteSpec,
  ROLES,
  type Role,
  type RouteSpec,
  type RuntimeEndpoint,
} from '../lib/manifest/types.ts';
import type { createAwsEmulator } from './aws-emulator.ts';
import type { LocalBus, PutEventsEntry } from './bus.ts';
import {
  compileRoutes,
  gatewayError,
  MAX_BODY_BYTES,
  matchRoute,
  readBody,
  sendJson,
  toApiGatewayEvent,
  writeLambdaResult,
} from './gateway.ts';
import type { LocalIdentity } from './identity.ts';
import { LambdaTimeout, type LocalLambdas } from './lambda.ts';
import { isLoopbackAddress, isLoopbackHostname, isWildcardAddress } from './network.ts';
import type { LocalStepFunctions } from './stepfunctions.ts';

export interface HttpServerDeps {
  port: number;
  /** The bind address (QM_BIND). A specific non-loopback one gets a second listener on 127.0.0.1. */
  host: string;
  /** The manifest's routes: functions behind the gateway, `/local/*` served here. */
  routes: readonly RouteSpec[];
  consoleDir: string;
  identity: LocalIdentity;
  lambdas: LocalLambdas;
  bus: LocalBus;
  sfn: LocalStepFunctions;
  /** The emulated AWS JSON APIs (EventBridge, Step Functions) the SDK clients call locally. */
  emulate: ReturnType<typeof createAwsEmulator>;
  /** Stream records the poller gave up on (it starts after the server). */
  streamFailures?: () => readonly unknown[];
}

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

type RuntimeHandler = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void> | void;

/**
 * How long an idle kept-alive connection stays open: Node's default (5 s, closed after 6) drops
 * sockets a sender still holds in its pool, and a request sent on one just as it closes meets
 * ECONNRESET without being read (up to two in 2,000 paced webhooks of the intake bench did).
 * A load balancer's idle timeout is about a minute; a stop still closes every connection at once.
 */
const IDLE_CONNECTION_MS = 65_000;

/** Seconds a client should wait before retrying a request the gateway gave up on (503). */
const RETRY_AFTER_SECONDS = 2;

/**
 * The local runtime's one HTTP server, on one port: the manifest's function routes as API
 * Gateway would serve them (JWT checked first for routes with roles), the `/local/*` endpoints
 * the manifest declares for the runtime itself, the emulated AWS APIs, and the console.
 */
export async function startHttpServer(deps: HttpServerDeps): Promise<{ close(): Promise<void> }> {
  const { identity, lambdas, bus, sfn } = deps;
  const routes = compileRoutes(deps.routes);
  const base = `http://127.0.0.1:${deps.port}`;

  const json = async (req: IncomingMessage) => {
    const text = (await readBody(req)).toString('utf8');
    try {
      return JSON.parse(text || '{}');
    } catch {
      throw Object.assign(new Error('The request body is not valid JSON'), { status: 400 });
    }
  };

  // Every runtime endpoint the manifest may declare has exactly one implementation here.
  const runtime: Record<RuntimeEndpoint, RuntimeHandler> = {
    async 'put-events'(req, res) {
      const input = (await json(req)) as { Entries?: PutEventsEntry[] };
      if (!Array.isArray(input.Entries) || input.Entries.length === 0 || input.Entries.length > 10) {
        return sendJson(
          res,
          400,
          gatewayError('VALIDATION_FAILED', 'Entries must hold 1 to 10 PutEvents entries'),
        );
      }
      sendJson(res, 200, await bus.putEvents(input.Entries));
    },
    'list-events'(_req, res, url) {
      const detailType = url.searchParams.get('detailType') ?? undefined;
      const source = url.searchParams.get('source') ?? undefined;
      sendJson(res, 200, {
        items: bus.events({ ...(detailType ? { detailType } : {}), ...(source ? { source } : {}) }),
      });
    },
    'list-dead-letters'(_req, res) {
      // Bus targets that gave up, and stream records a consumer gave up on (this run's; earlier
      // runs' are in <data>/streams/failures-<consumer>.jsonl).
      sendJson(res, 200, { items: bus.deadLetters, streamFailures: deps.streamFailures?.() ?? [] });
    },
    'signing-keys'(_req, res) {
      sendJson(res, 200, { keys: [identity.publicJwk] });
    },
    async 'issue-token'(req, res) {
      // The local stand-in for Cognito's hosted sign-in: pick a role, get an ID token.
      const input = (await json(req)) as { role?: string; username?: string };
      if (!input.role || !ROLES.includes(input.role as Role)) {
        return sendJson(
          res,
          400,
          gatewayError('VALIDATION_FAILED', `role must be one of ${ROLES.join(', ')}`),
        );
      }
      const token = await identity.sign({
        role: input.role as Role,
        ...(input.username ? { username: input.username } : {}),
      });
      sendJson(res, 200, { idToken: token, role: input.role });
    },
    'list-executions'(_req, res, url) {
      const name = url.searchParams.get('stateMachine');
      sendJson(res, 200, {
        items: sfn
          .listExecutions(name ? sfn.arnOf(name) : undefined)
          .map((e) => sfn.describeExecution(e.executionArn)),
      });
    },
  };

  async function invokeFunctionRoute(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    route: FunctionRouteSpec,
    pathParameters: Record<string, string>,
  ) {
    let claims: Awaited<ReturnType<typeof identity.verify>> | undefined;
    if ('roles' in route.auth) {
      // What the HTTP API JWT authorizer does before the function is invoked.
      const token = req.headers.authorization?.replace(/^Bearer\s+/i, '');
      if (!token) return sendJson(res, 401, gatewayError('UNAUTHORIZED', 'A bearer token is required'));
      try {
        claims = await identity.verify(token);
      } catch {
        return sendJson(res, 401, gatewayError('UNAUTHORIZED', 'The bearer token is invalid or expired'));
      }
    }
    const body = await readBody(req);
    const event = toApiGatewayEvent({ req, url, body, route, pathParameters, ...(claims ? { claims } : {}) });
    let result: unknown;
    try {
      result = await lambdas.invoke(route.fn, event);
    } catch (error) {
      if (error instanceof LambdaTimeout) {
        // API Gateway answers a timed-out integration with 503; say when to try again.
        console.error(`[lambda ${route.fn}] ${error.message}`);
        return sendJson(
          res,
          503,
          gatewayError('SERVICE_UNAVAILABLE', 'The service did not answer in time; try again shortly', {
            retryAfterSeconds: RETRY_AFTER_SECONDS,
          }),
          { 'retry-after': String(RETRY_AFTER_SECONDS) },
        );
      }
      // A handler that throws is a bug, not a busy service: 500, as Lambda's error would be.
      console.error(`[lambda ${route.fn}]`, error);
      return sendJson(res, 500, gatewayError('INTERNAL', 'Internal Server Error'));
    }
    writeLambdaResult(res, result);
  }

  async function handleRequest(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', base);
    const target = req.headers['x-amz-target'];
    if (typeof target === 'string' || url.pathname.startsWith('/local/')) {
      const refusal = localOnlyRefusal(req);
      if (refusal) {
        console.warn(
          `[gateway] refused ${req.method} ${url.pathname} from ${req.socket.remoteAddress}: ${refusal}`,
        );
        return sendJson(
          res,
          403,
          gatewayError('FORBIDDEN', 'This endpoint of the local runtime answers only to this machine', {
            reason: 'LOCAL_ONLY',
          }),
          // The SDK clients that call the emulated AWS APIs read the error's name from here.
          { 'x-amzn-errortype': 'AccessDeniedException' },
        );
      }
    }
    if (typeof target === 'string') {
      const reply = await deps.emulate(target, (await readBody(req)).toString('utf8'));
      return sendJson(res, reply.status, reply.body, {
        'content-type': 'application/x-amz-json-1.1',
        ...reply.headers,
      });
    }
    const method = req.method ?? 'GET';
    const { route, pathParameters } = matchRoute(routes, method, url.pathname);
    if (route && 'runtime' in route) return runtime[route.runtime](req, res, url);
    if (route) return invokeFunctionRoute(req, res, url, route, pathParameters ?? {});
    const isApi = ['/api/', '/webhooks/', '/local/'].some((prefix) => url.pathname.startsWith(prefix));
    if (method === 'GET' && !isApi) return serveConsole(req, res, deps.consoleDir, url.pathname);
    return sendJson(res, 404, gatewayError('NOT_FOUND', `No route for ${method} ${url.pathname}`));
  }

  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    handleRequest(req, res).catch((error: Error & { status?: number }) => {
      if (!res.headersSent) {
        const status = error.status ?? 500;
        sendJson(
          res,
          status,
          status === 413
            ? gatewayError('PAYLOAD_TOO_LARGE', error.message, { limitBytes: MAX_BODY_BYTES })
            : status === 400
              ? gatewayError('VALIDATION_FAILED', error.message)
              : gatewayError('INTERNAL', 'Internal Server Error'),
        );
      }
      if (!error.status) console.error('[gateway]', error);
    });
  };
  // The local runtime's own endpoints (and the emulated AWS APIs the handlers call through
  // 127.0.0.1) must stay reachable from this machine when QM_BIND names another address.
  const hosts =
    isLoopbackAddress(deps.host) || isWildcardAddress(deps.host) ? [deps.host] : [deps.host, '127.0.0.1'];
  const servers: Server[] = [];
  try {
    for (const host of hosts) {
      const server = createServer(onRequest);
      server.keepAliveTimeout = IDLE_CONNECTION_MS;
      await new Promise<void>((resolve, reject) => {
        server.once('error', (error: NodeJS.ErrnoException) =>
          reject(
            error.code === 'EADDRINUSE'
              ? new Error(
                  `Port ${deps.port} is already in use on ${host}; stop what holds it or set PORT=<port>.`,
                )
              : error,
          ),
        );
        server.listen(deps.port, host, () => resolve());
      });
      servers.push(server);
    }
  } catch (error) {
    await Promise.all(servers.map((s) => closeServer(s)));
    throw error;
  }
  return {
    close: () => Promise.all(servers.map((s) => closeServer(s))).then(() => undefined),
  };
}

function closeServer(server: Server): Promise<void> {
  return new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/**
 * Why a request may not reach `/local/*` or the emulated AWS APIs, if it may not: it must come
 * from a loopback peer, and name a loopback host (a page whose DNS name was rebound to 127.0.0.1
 * sends its own name), and a browser's Origin must be loopback too (another site's page posting
 * events through the developer's browser sends its own origin).
 */
export function localOnlyRefusal(req: IncomingMessage): string | undefined {
  if (!isLoopbackAddress(req.socket.remoteAddress)) return 'peer is not on loopback';
  const host = req.headers.host;
  if (host && !isLoopbackHostname(hostnameOf(`http://${host}`))) return `Host ${host} is not loopback`;
  const origin = req.headers.origin;
  if (origin && !isLoopbackHostname(hostnameOf(origin))) return `Origin ${origin} is not loopback`;
  return undefined;
}

function hostnameOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return '';
  }
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.ico': 'image/x-icon',
};

/** Types worth compressing (woff2 and png are compressed already). */
const COMPRESSIBLE = new Set(['.html', '.js', '.css', '.svg', '.json', '.ico']);

/** Vite's content-hashed output: a name never changes content, so browsers may keep it for a year. */
const IMMUTABLE_ASSET = /^\/assets\/.+-[\w-]{8,}\.\w+$/;

/** Compressed bodies made on the fly (a dist built without `console-build.ts`), per file version. */
const compressedCache = new Map<string, { etag: string; body: Buffer }>();

/** The encoding to send for an Accept-Encoding header: brotli first, then gzip, else none. */
function pickEncoding(acceptEncoding: string | undefined): 'br' | 'gzip' | undefined {
  const accepted = new Map(
    (acceptEncoding ?? '').split(',').map((part) => {
      const [name, ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return [name, q ? Number(q.slice(2)) : 1] as const;
    }),
  );
  if ((accepted.get('br') ?? 0) > 0) return 'br';
  if ((accepted.get('gzip') ?? 0) > 0) return 'gzip';
  return undefined;
}

/**
 * Serves the built console; unknown paths fall back to index.html for client-side routes.
 * Text assets go out brotli- or gzip-compressed (the `.br`/`.gz` files `console-build.ts`
 * writes next to them, else compressed once and kept in memory); hashed files under `/assets/`
 * are cached for a year, everything else is revalidated by ETag on every load.
 */
async function serveConsole(req: IncomingMessage, res: ServerResponse, dir: string, pathname: string) {
  const safe = path.normalize(decodeURIComponent(pathname)).replace(/^(\.\.[/\\])+/, '');
  let file = path.join(dir, safe);
  let info = await stat(file).catch(() => undefined);
  if (!file.startsWith(dir) || !info?.isFile()) {
    file = path.join(dir, 'index.html');
    info = await stat(file).catch(() => undefined);
  }
  if (!info?.isFile()) {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(
      '<!doctype html><meta http-equiv="refresh" content="3"><title>Quartermaster</title><h1>Quartermaster (local)</h1><p>The console is being built; this page reloads by itself. The API is at <code>/api</code>, health at <a href="/health">/health</a>.</p>',
    );
    return;
  }
  const ext = path.extname(file);
  const encoding = COMPRESSIBLE.has(ext) ? pickEncoding(req.headers['accept-encoding']) : undefined;
  const servedPath = `/${path.relative(dir, file).split(path.sep).join('/')}`;
  // The ETag names the file version and the encoding: a gzip body never answers for a brotli one.
  const etag = `W/"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}${encoding ? `-${encoding}` : ''}"`;
  const headers: Record<string, string> = {
    'content-type': MIME[ext] ?? 'application/octet-stream',
    'cache-control': IMMUTABLE_ASSET.test(servedPath) ? 'public, max-age=31536000, immutable' : 'no-cache',
    etag,
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'same-origin',
  };
  if (COMPRESSIBLE.has(ext)) headers.vary = 'Accept-Encoding';
  if (encoding) headers['content-encoding'] = encoding;
  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  const body = encoding ? await compressedBody(file, encoding, etag) : await readFile(file);
  headers['content-length'] = String(body.length);
  res.writeHead(200, headers);
  res.end(body);
}

async function compressedBody(file: string, encoding: 'br' | 'gzip', etag: string): Promise<Buffer> {
  const precompressed = await readFile(`${file}.${encoding === 'br' ? 'br' : 'gz'}`).catch(() => undefined);
  if (precompressed) return precompressed;
  const key = `${file}:${encoding}`;
  const cached = compressedCache.get(key);
  if (cached?.etag === etag) return cached.body;
  const raw = await readFile(file);
  const body =
    encoding === 'br'
      ? await brotli(raw, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5 } })
      : await gzip(raw, { level: 6 });
  compressedCache.set(key, { etag, body });
  return body;
}
