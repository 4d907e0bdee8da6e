import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ENV } from '../../functions/shared/env.ts';
import { Conflict } from '../../functions/shared/errors.ts';
import { httpHandler, ok } from '../../functions/shared/http.ts';
import { MANIFEST, routeRolesTable } from '../../lib/manifest/index.ts';

// What CDK and the local runtime hand every function: the roles of the routes it serves.
process.env[ENV.routeRoles] = JSON.stringify(routeRolesTable(MANIFEST.routes));

const context = { getRemainingTimeInMillis: () => 1000 } as unknown as Context;

function event(
  overrides: Partial<APIGatewayProxyEventV2> & { groups?: string[] | string },
): APIGatewayProxyEventV2 {
  const { groups, ...rest } = overrides;
  return {
    version: '2.0',
    routeKey: 'POST /api/inventory/adjustments',
    rawPath: '/api/inventory/adjustments',
    rawQueryString: '',
    headers: { 'x-correlation-id': 'corr-1' },
    isBase64Encoded: false,
    requestContext: {
      requestId: 'req-1',
      http: { method: 'POST', path: '/', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 't' },
      ...(groups !== undefined
        ? {
            authorizer: {
              jwt: { claims: { sub: 'u1', 'cognito:username': 'ana', 'cognito:groups': groups }, scopes: [] },
            },
          }
        : {}),
    } as APIGatewayProxyEventV2['requestContext'],
    ...rest,
  } as APIGatewayProxyEventV2;
}

const handler = httpHandler(
  { body: z.object({ quantity: z.number().int().positive() }) },
  async ({ body, principal }) => ok({ quantity: body.quantity, by: principal?.username }),
);

describe('HTTP wrapper', () => {
  it('passes a valid request from an allowed role to the use case', async () => {
    const res = await handler(event({ groups: ['inventory-controller'], body: '{"quantity":3}' }), context);
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body as string)).toEqual({ quantity: 3, by: 'ana' });
    expect(res.headers?.['x-correlation-id']).toBe('corr-1');
  });

  it('reads groups in the bracketed string form the HTTP API authorizer passes', async () => {
    const res = await handler(
      event({ groups: '[finance inventory-controller]', body: '{"quantity":1}' }),
      context,
    );
    expect(res.statusCode).toBe(200);
  });

  it('answers 401 when no verified caller is present on a role-protected route', async () => {
    const res = await handler(event({ body: '{"quantity":3}' }), context);
    expect(res.statusCode).toBe(401);
    expect(JSON.parse(res.body as string).error.code).toBe('UNAUTHORIZED');
  });

  it('answers 403 for a role the route does not allow', async () => {
    const res = await handler(event({ groups: ['warehouse-associate'], body: '{"quantity":3}' }), context);
    expect(res.statusCode).toBe(403);
    expect(JSON.parse(res.body as string).error.code).toBe('FORBIDDEN');
  });

  it('answers 400 naming the bad field', async () => {
    const res = await handler(event({ groups: ['admin'], body: '{"quantity":-1}' }), context);
    expect(res.statusCode).toBe(400);
    const body = JSON.parse(res.body as string);
    expect(body.error.code).toBe('VALIDATION_FAILED');
    expect(body.error.details.issues[0].field).toBe('quantity');
  });

  it('answers 400 for a body that is not JSON', async () => {
    const res = await handler(event({ groups: ['admin'], body: '{"quantity":' }), context);
    expect(res.statusCode).toBe(400);
  });

  it('maps a domain error to its status and stable body', async () => {
    const failing = httpHandler({}, async () => {
      throw new Conflict('INSUFFICIENT_STOCK', 'Only 2 left', { available: 2 });
    });
    const res = await failing(event({ groups: ['admin'] }), context);
    expect(res.statusCode).toBe(409);
    expect(JSON.parse(res.body as string)).toEqual({
      error: { code: 'INSUFFICIENT_STOCK', message: 'Only 2 left', details: { available: 2 } },
    });
  });

  it('hides unexpected errors behind a 500 without internals', async () => {
    const failing = httpHandler({}, async () => {
      throw new Error('ECONNREFUSED 10.0.0.1:443 secret-host');
    });
    const res = await failing(event({ groups: ['admin'] }), context);
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain('secret-host');
    expect(JSON.parse(res.body as string).error.details.correlationId).toBe('corr-1');
  });

  it('refuses a route that the manifest does not declare', async () => {
    const res = await handler(
      event({ groups: ['admin'], routeKey: 'POST /api/undeclared', body: '{"quantity":1}' }),
      context,
    );
    expect(res.statusCode).toBe(403);
  });
});
