import { randomUUID } from 'node:crypto';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { z } from 'zod';
import {
  type AuditScope,
  closeAuditScope,
  completeAudit,
  failAudit,
  newAuditEntry,
  openAuditScope,
  recordAudit,
  runAudited,
} from './audit.ts';
import { type Principal, principalFrom } from './auth.ts';
import { ENV } from './env.ts';
import {
  DomainError,
  Forbidden,
  isThrottling,
  ServiceUnavailable,
  Unauthorized,
  ValidationFailed,
} from './errors.ts';
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

/** Seconds a client should wait before repeating a request answered 503 when nothing says otherwise. */
const DEFAULT_RETRY_AFTER_SECONDS = 1;

export function errorResponse(error: unknown, correlationId: string): APIGatewayProxyStructuredResultV2 {
  if (isThrottling(error)) {
    logger.warn('Throttled', { error: error as Error, correlationId });
    return unavailable(
      new ServiceUnavailable(
        'The service is busy; retry the same request shortly',
        DEFAULT_RETRY_AFTER_SECONDS,
      ),
      correlationId,
    );
  }
  if (error instanceof ServiceUnavailable) {
    logger.warn('Service unavailable', { error: error as Error, correlationId });
    return unavailable(error, correlationId);
  }
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
      // Every 503 says when to come back (contention errors keep their own code and details).
      error.status === 503 ? { 'retry-after': String(DEFAULT_RETRY_AFTER_SECONDS) } : {},
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

function unavailable(error: ServiceUnavailable, correlationId: string): APIGatewayProxyStructuredResultV2 {
  return json(
    503,
    {
      error: {
        code: error.code,
        message: error.message,
        details: { retryAfterSeconds: error.retryAfterSeconds, correlationId },
      },
    },
    correlationId,
    { 'retry-after': String(error.retryAfterSeconds) },
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
 * parameters and query, one error mapper, and the audit record of every command (see
 * shared/audit.ts: written with the command's change, or the command fails). The adapter stays
 * a few lines long.
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
      let scope: AuditScope | undefined;
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
        scope = isAudited(event, principal)
          ? openAuditScope({ ...auditFields(event, principal, correlationId), input: request.body })
          : undefined;
        const result = scope ? await runAudited(scope, () => run(request)) : await run(request);
        if (scope) {
          await completeAudit(scope, {
            status: result.status,
            before: result.audit?.before,
            after: result.audit?.after ?? result.body,
          });
        }
        return json(result.status, result.body, correlationId, result.headers);
      } catch (error) {
        const response = errorResponse(error, correlationId);
        const status = response.statusCode ?? 500;
        // Refused commands (403, 4xx) are evidence too; unauthenticated calls never reach here on AWS.
        if (scope) await failAudit(scope, status);
        else if (status !== 401) await auditRefusal(event, correlationId, status);
        return response;
      } finally {
        if (scope) closeAuditScope(scope);
        logger.removeKeys(['correlationId', 'route']);
      }
    },
  );
}

const COMMAND_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Commands from signed-in callers are audited; reads and public webhooks are not audited here. */
function isAudited(event: APIGatewayProxyEventV2, principal: Principal | undefined): principal is Principal {
  const method = event.requestContext?.http?.method ?? event.routeKey?.split(' ')[0] ?? '';
  return Boolean(principal) && COMMAND_METHODS.has(method);
}

function auditFields(event: APIGatewayProxyEventV2, principal: Principal, correlationId: string) {
  return {
    actor: principal.username,
    roles: principal.roles,
    action: event.routeKey,
    target: (event.pathParameters ?? {}) as Record<string, string>,
    path: event.rawPath,
    correlationId,
    ...(event.requestContext?.http?.sourceIp ? { sourceIp: event.requestContext.http.sourceIp } : {}),
    ...(event.headers?.['user-agent'] ? { userAgent: event.headers['user-agent'] } : {}),
  };
}

/** A command refused before it ran (role, validation): recorded after the fact, without its payload. */
async function auditRefusal(event: APIGatewayProxyEventV2, correlationId: string, status: number) {
  const principal = principalFrom(event);
  if (!isAudited(event, principal)) return;
  await recordAudit(
    newAuditEntry({ ...auditFields(event, principal, correlationId), status, outcome: 'rejected' }),
  );
}

/** The principal on a role-protected route (the wrapper has already rejected anonymous callers). */
export function requirePrincipal(principal: Principal | undefined): Principal {
  if (!principal) throw new Unauthorized();
  return principal;
}
