import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import path from 'node:path';
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
  matchRoute,
  readBody,
  sendJson,
  toApiGatewayEvent,
  writeLambdaResult,
} from './gateway.ts';
import type { LocalIdentity } from './identity.ts';
import type { LocalLambdas } from './lambda.ts';
import type { LocalStepFunctions } from './stepfunctions.ts';

export interface HttpServerDeps {
  port: number;
  /** The manifest's routes: functions behind the gateway, `/local/*` served here. */
  routes: readonly RouteSpec[];
  consoleDir: string;
  identity: LocalIdentity;
  lambdas: LocalLambdas;
  bus: LocalBus;
  sfn: LocalStepFunctions;
  /** The emulated AWS JSON APIs (EventBridge, Step Functions) the SDK clients call locally. */
  emulate: ReturnType<typeof createAwsEmulator>;
}

type RuntimeHandler = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void> | void;

/**
 * The local runtime's one HTTP server, on one port: the manifest's function routes as API
 * Gateway would serve them (JWT checked first for routes with roles), the `/local/*` endpoints
 * the manifest declares for the runtime itself, the emulated AWS APIs, and the console.
 */
export async function startHttpServer(deps: HttpServerDeps): Promise<{ close(): Promise<void> }> {
  const { identity, lambdas, bus, sfn } = deps;
  const routes = compileRoutes(deps.routes);
  const base = `http://localhost:${deps.port}`;

  const json = async (req: IncomingMessage) => JSON.parse((await readBody(req)).toString('utf8') || '{}');

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
      sendJson(res, 200, { items: bus.deadLetters });
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
      console.error(`[lambda ${route.fn}]`, error);
      return sendJson(res, 500, gatewayError('INTERNAL', 'Internal Server Error'));
    }
    writeLambdaResult(res, result);
  }

  async function handleRequest(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', base);
    const target = req.headers['x-amz-target'];
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
    if (method === 'GET' && !isApi) return serveConsole(res, deps.consoleDir, url.pathname);
    return sendJson(res, 404, gatewayError('NOT_FOUND', `No route for ${method} ${url.pathname}`));
  }

  const server = createServer((req, res) => {
    handleRequest(req, res).catch((error: Error & { status?: number }) => {
      if (!res.headersSent) {
        sendJson(
          res,
          error.status ?? 500,
          gatewayError(
            error.status === 413 ? 'PAYLOAD_TOO_LARGE' : 'INTERNAL',
            error.status === 413 ? error.message : 'Internal Server Error',
          ),
        );
      }
      if (!error.status) console.error('[gateway]', error);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(deps.port, () => resolve());
  });
  return {
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
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

/** Serves the built console; unknown paths fall back to index.html for client-side routes. */
async function serveConsole(res: ServerResponse, dir: string, pathname: string) {
  const safe = path.normalize(decodeURIComponent(pathname)).replace(/^(\.\.[/\\])+/, '');
  let file = path.join(dir, safe);
  if (
    !file.startsWith(dir) ||
    !(await stat(file).then(
      (s) => s.isFile(),
      () => false,
    ))
  ) {
    file = path.join(dir, 'index.html');
  }
  try {
    const data = await readFile(file);
    res.writeHead(200, {
      'content-type': MIME[path.extname(file)] ?? 'application/octet-stream',
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'referrer-policy': 'same-origin',
    });
    res.end(data);
  } catch {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(
      '<!doctype html><meta http-equiv="refresh" content="3"><title>Quartermaster</title><h1>Quartermaster (local)</h1><p>The console is being built; this page reloads by itself. The API is at <code>/api</code>, health at <a href="/health">/health</a>.</p>',
    );
  }
}
