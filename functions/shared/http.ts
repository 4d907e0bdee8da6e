import { randomUUID } from 'node:crypto';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { z } from 'zod';
import { newAuditEntry, recordAudit } from './audit.ts';
import { type Principal, principalFrom } from './auth.ts';
import { ENV } from './env.ts';
import { DomainError, Forbidden, Unauthorized, ValidationFailed } from './errors.ts';
import { logger } from './powertools.ts';
import type { Role } from './roles.ts';
import { toFieldIssues } from './validation.ts';

/** What a use case's HTTP adapter returns: a status and a JSON body. */
export interface HttpResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** What the command changed, for the audit trail. `after` defaults to the response body. */
  audit?: { before?: unknown; after?: unknown };
}
export const ok = (body: unknown): HttpResult => ({ status: 200, body });
export const created = (body: unknown): HttpResult => ({ status: 201, body });
export const accepted = (body: unknown): HttpResult => ({ status: 202, body });

export interface HttpRequest<B, P, Q> {
  body: B;
  params: P;
  query: Q;
  /** Present on every role-protected route (the wrapper rejects the request otherwise). */
  principal: Principal | undefined;
  correlationId: string;
  sourceIp: string | undefined;
  event: APIGatewayProxyEventV2;
}

interface HttpSpec<B extends z.ZodType, P extends z.ZodType, Q extends z.ZodType> {
  body?: B;
  params?: P;
  query?: Q;
}

const CORRELATION_HEADER = 'x-correlation-id';

function parsePart<T extends z.ZodType>(schema: T | undefined, value: unknown, part: string): z.output<T> {
  if (!schema) return value as z.output<T>;
  const result = schema.safeParse(value);
  if (!result.success) {
    const issues = toFieldIssues(result.error, part === 'body' ? undefined : part);
    throw new ValidationFailed(`Invalid ${part}: ${issues.map((i) => i.field).join(', ')}`, issues);
  }
  return result.data;
}

function parseJsonBody(event: APIGatewayProxyEventV2): unknown {
  if (!event.body) return undefined;
  const raw = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  try {
    return JSON.parse(raw);
  } catch {
    throw new ValidationFailed('The request body is not valid JSON', [
      { field: '(body)', message: 'not JSON' },
    ]);
  }
}

type RouteAccess = readonly Role[] | 'public';
let routeAccessCache: { raw: string; table: Record<string, RouteAccess> } | undefined;

/**
 * The roles the manifest declares for a route, handed to the function in `QM_ROUTE_ROLES` (the
 * kernel reads no manifest: on AWS a function is told only its own routes). Parsed once per value.
 */
function routeAccess(key: string): RouteAccess | undefined {
  const raw = process.env[ENV.routeRoles] ?? '{}';
  if (routeAccessCache?.raw !== raw) {
    routeAccessCache = { raw, table: JSON.parse(raw) as Record<string, RouteAccess> };
  }
  return Object.hasOwn(routeAccessCache.table, key) ? routeAccessCache.table[key] : undefined;
}

/**
 * Enforces the roles the manifest declares for this route. API Gateway (or the local
 * gateway) has already verified the token; this decides whether the verified caller's
 * groups allow the route. A route missing from the table is refused, never served open.
 */
export function authorize(event: APIGatewayProxyEventV2): Principal | undefined {
  const access = routeAccess(event.routeKey);
  if (!access) throw new Forbidden(`Route ${event.routeKey} is not declared`);
  if (access === 'public') return principalFrom(event);
  const principal = principalFrom(event);
  if (!principal) throw new Unauthorized();
  if (!principal.roles.some((role) => access.includes(role))) throw new Forbidden();
  return principal;
}

export function errorResponse(error: unknown, correlationId: string): APIGatewayProxyStructuredResultV2 {
  if (error instanceof DomainError) {
    return json(
      error.status,
      {
        error: {
          code: error.code,
          message: error.message,
          ...(error.details === undefined ? {} : { details: error.details }),
        },
      },
      correlationId,
    );
  }
  logger.error('Unhandled error', { error: error as Error, correlationId });
  return json(
    500,
    {
      error: {
        code: 'INTERNAL',
        message: 'Something went wrong; quote the correlation id when reporting it',
        details: { correlationId },
      },
    },
    correlationId,
  );
}

function json(
  status: number,
  body: unknown,
  correlationId: string,
  headers: Record<string, string> = {},
): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: status,
    headers: { 'content-type': 'application/json', [CORRELATION_HEADER]: correlationId, ...headers },
    body: body === undefined ? '' : JSON.stringify(body),
  };
}

/**
 * Wraps an HTTP use-case adapter: correlation id, role check, zod parsing of body, path
 * parameters and query, and one error mapper. The adapter stays a few lines long.
 */
export function httpHandler<
  B extends z.ZodType = z.ZodUnknown,
  P extends z.ZodType = z.ZodUnknown,
  Q extends z.ZodType = z.ZodUnknown,
>(
  spec: HttpSpec<B, P, Q>,
  run: (req: HttpRequest<z.output<B>, z.output<P>, z.output<Q>>) => Promise<HttpResult>,
) {
  return middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Error, Context>().handler(
    async (event) => {
      const correlationId =
        event.headers?.[CORRELATION_HEADER] ?? event.requestContext?.requestId ?? randomUUID();
      logger.appendKeys({ correlationId, route: event.routeKey });
      try {
        const principal = authorize(event);
        const request: HttpRequest<z.output<B>, z.output<P>, z.output<Q>> = {
          params: parsePart(spec.params, event.pathParameters ?? {}, 'path'),
          query: parsePart(spec.query, event.queryStringParameters ?? {}, 'query'),
          body: parsePart(spec.body, spec.body ? parseJsonBody(event) : undefined, 'body'),
          principal,
          correlationId,
          sourceIp: event.requestContext?.http?.sourceIp,
          event,
        };
        const result = await run(request);
        await audit(
          event,
          principal,
          correlationId,
          result.status,
          result.audit?.before,
          result.audit?.after ?? result.body,
        );
        return json(result.status, result.body, correlationId, result.headers);
      } catch (error) {
        const response = errorResponse(error, correlationId);
        // Refused commands (403, 4xx) are evidence too; unauthenticated calls never reach here on AWS.
        if (response.statusCode !== 401) {
          await audit(
            event,
            principalFrom(event),
            correlationId,
            response.statusCode ?? 500,
            undefined,
            undefined,
          );
        }
        return response;
      } finally {
        logger.removeKeys(['correlationId', 'route']);
      }
    },
  );
}

const COMMAND_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Records commands from signed-in callers; reads and public webhooks are not audited here. */
async function audit(
  event: APIGatewayProxyEventV2,
  principal: Principal | undefined,
  correlationId: string,
  status: number,
  before: unknown,
  after: unknown,
): Promise<void> {
  const method = event.requestContext?.http?.method ?? event.routeKey?.split(' ')[0] ?? '';
  if (!principal || !COMMAND_METHODS.has(method)) return;
  await recordAudit(
    newAuditEntry({
      actor: principal.username,
      roles: principal.roles,
      action: event.routeKey,
      target: (event.pathParameters ?? {}) as Record<string, string>,
      path: event.rawPath,
      status,
      outcome: status < 400 ? 'succeeded' : 'rejected',
      correlationId,
      ...(event.requestContext?.http?.sourceIp ? { sourceIp: event.requestContext.http.sourceIp } : {}),
      ...(event.headers?.['user-agent'] ? { userAgent: event.headers['user-agent'] } : {}),
      ...(status < 400 ? { before, after } : {}),
    }),
  );
}

/** The principal on a role-protected route (the wrapper has already rejected anonymous callers). */
export function requirePrincipal(principal: Principal | undefined): Principal {
  if (!principal) throw new Unauthorized();
  return principal;
}
