import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { JWTPayload } from 'jose';
import { type RouteSpec, routeKey } from '../lib/manifest/types.ts';

/**
 * The largest request body the local gateway accepts: Lambda's 6 MB (6,291,456 bytes) limit on a
 * synchronous invocation's payload. API Gateway takes up to 10 MB, but a function behind it can
 * never receive more than 6 MB (less once the event's JSON and base64 are counted), so anything
 * larger is refused here with 413 PAYLOAD_TOO_LARGE before it reaches a handler.
 */
export const MAX_BODY_BYTES = 6 * 1024 * 1024;

interface CompiledRoute<R extends RouteSpec> {
  spec: R;
  regex: RegExp;
  params: string[];
  /** More literal segments win, as API Gateway picks the most specific route. */
  specificity: number;
}

export function compileRoutes<R extends RouteSpec>(routes: readonly R[]): CompiledRoute<R>[] {
  return routes
    .map((spec) => {
      const params: string[] = [];
      let literal = 0;
      const pattern = spec.path
        .split('/')
        .map((segment) => {
          const greedy = segment.match(/^\{(\w+)\+\}$/);
          if (greedy?.[1]) {
            params.push(greedy[1]);
            return '(.+)';
          }
          const param = segment.match(/^\{(\w+)\}$/);
          if (param?.[1]) {
            params.push(param[1]);
            return '([^/]+)';
          }
          literal++;
          return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        })
        .join('/');
      return { spec, regex: new RegExp(`^${pattern}$`), params, specificity: literal };
    })
    .sort((a, b) => b.specificity - a.specificity);
}

export function matchRoute<R extends RouteSpec>(routes: CompiledRoute<R>[], method: string, path: string) {
  let pathMatched = false;
  for (const route of routes) {
    const m = path.match(route.regex);
    if (!m) continue;
    pathMatched = true;
    if (route.spec.method !== method) continue;
    const pathParameters = Object.fromEntries(
      route.params.map((p, i) => [p, decodeURIComponent(m[i + 1] ?? '')]),
    );
    return { route: route.spec, pathParameters };
  }
  return { route: undefined, pathMatched };
}

/**
 * Reads the whole body, or rejects with status 413 as soon as it passes MAX_BODY_BYTES. The rest
 * of an oversized body is read and dropped rather than the socket destroyed, so the client still
 * receives the 413.
 */
export function readBody(req: IncomingMessage): Promise<Buffer> {
  const tooLarge = () =>
    Object.assign(new Error(`The request body exceeds the ${MAX_BODY_BYTES} byte limit`), { status: 413 });
  if (Number(req.headers['content-length']) > MAX_BODY_BYTES) {
    req.resume();
    return Promise.reject(tooLarge());
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on('data', (chunk: Buffer) => {
      if (refused) return;
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        refused = true;
        chunks.length = 0;
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!refused) resolve(Buffer.concat(chunks));
    });
    req.on('error', reject);
  });
}

const TEXT_TYPES = /^(application\/(json|x-www-form-urlencoded|xml|.*\+json)|text\/)/;

/** Builds the event API Gateway (HTTP API, payload 2.0) would hand to the function. */
export function toApiGatewayEvent(input: {
  req: IncomingMessage;
  url: URL;
  body: Buffer;
  route: RouteSpec;
  pathParameters: Record<string, string>;
  claims?: JWTPayload;
}): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(input.req.headers)) {
    if (value === undefined || name === 'cookie') continue;
    headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  const query: Record<string, string> = {};
  for (const [k, v] of input.url.searchParams) query[k] = k in query ? `${query[k]},${v}` : v;
  const contentType = headers['content-type'] ?? '';
  const isText = input.body.length === 0 || TEXT_TYPES.test(contentType);
  const now = new Date();
  const cookies = input.req.headers.cookie?.split(/;\s*/).filter(Boolean);
  return {
    version: '2.0',
    routeKey: routeKey(input.route),
    rawPath: input.url.pathname,
    rawQueryString: input.url.search.replace(/^\?/, ''),
    ...(cookies?.length ? { cookies } : {}),
    headers,
    ...(Object.keys(query).length ? { queryStringParameters: query } : {}),
    ...(Object.keys(input.pathParameters).length ? { pathParameters: input.pathParameters } : {}),
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'localhost',
      http: {
        method: input.req.method ?? 'GET',
        path: input.url.pathname,
        protocol: `HTTP/${input.req.httpVersion}`,
        sourceIp: input.req.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: routeKey(input.route),
      stage: '$default',
      time: now.toISOString(),
      timeEpoch: now.getTime(),
      ...(input.claims ? { authorizer: { jwt: { claims: input.claims, scopes: [] } } } : {}),
    } as APIGatewayProxyEventV2['requestContext'],
    ...(input.body.length
      ? {
          body: isText ? input.body.toString('utf8') : input.body.toString('base64'),
          isBase64Encoded: !isText,
        }
      : { isBase64Encoded: false }),
  } as APIGatewayProxyEventV2;
}

/** Writes a handler's result the way API Gateway interprets payload format 2.0 responses. */
export function writeLambdaResult(res: ServerResponse, result: unknown): void {
  if (result && typeof result === 'object' && 'statusCode' in result) {
    const r = result as APIGatewayProxyStructuredResultV2;
    const body = r.body ? Buffer.from(r.body, r.isBase64Encoded ? 'base64' : 'utf8') : Buffer.alloc(0);
    res.writeHead(r.statusCode ?? 200, {
      ...(r.headers as Record<string, string>),
      'content-length': body.length,
    });
    res.end(body);
    return;
  }
  const body = Buffer.from(typeof result === 'string' ? result : JSON.stringify(result ?? null));
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
  res.end(body);
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const data = Buffer.from(JSON.stringify(body));
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': data.length, ...headers });
  res.end(data);
}

/** The error body for gateway-level refusals, matching the handlers' stable shape. */
export const gatewayError = (code: string, message: string, details?: Record<string, unknown>) => ({
  error: { code, message, ...(details ? { details } : {}) },
});
