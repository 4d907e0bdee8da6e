import {
  ProvisionedThroughputExceededException,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { auditCancelled, auditCommitted, auditPut, recordAuditFirst } from '../../functions/shared/audit.ts';
import { documentClient } from '../../functions/shared/clients.ts';
import { ENV } from '../../functions/shared/env.ts';
import { Conflict, DomainError } from '../../functions/shared/errors.ts';
import { httpHandler, ok } from '../../functions/shared/http.ts';
import { MANIFEST, routeRolesTable } from '../../lib/manifest/index.ts';

// What CDK and the local runtime hand every function: the roles of the routes it serves.
process.env[ENV.routeRoles] = JSON.stringify(routeRolesTable(MANIFEST.routes));
process.env[ENV.tableName] = 'qm-unit';
process.env.AWS_REGION ??= 'us-east-1';

/**
 * The table, in memory: the kernel's DynamoDB client answers here instead of the network, so the
 * wrapper's audit writes can be read back and made to fail.
 */
const table = new Map<string, Record<string, unknown>>();
const calls: { command: string; input: Record<string, unknown> }[] = [];
let failWith: ((command: string, input: Record<string, any>) => Error | undefined) | undefined;

/** Plain values, whether the middleware sees the document client's input or the marshalled one. */
const plain = (value: any) => (value && typeof value.pk === 'object' ? unmarshall(value) : value);
const COMMANDS: Record<string, string> = {
  PutItemCommand: 'PutCommand',
  UpdateItemCommand: 'UpdateCommand',
  TransactWriteItemsCommand: 'TransactWriteCommand',
};

documentClient().middlewareStack.add(
  (_next, context) => async (args) => {
    const command = COMMANDS[String(context.commandName)] ?? String(context.commandName);
    const input = args.input as Record<string, any>;
    calls.push({ command, input });
    const error = failWith?.(command, { ...input, Item: plain(input.Item) });
    if (error) throw error;
    const keyOf = (k: { pk: string; sk: string }) => `${k.pk}|${k.sk}`;
    if (command === 'PutCommand') {
      const item = plain(input.Item);
      if (input.ConditionExpression === 'attribute_not_exists(pk)' && table.has(keyOf(item))) {
        throw Object.assign(new Error('The conditional request failed'), {
          name: 'ConditionalCheckFailedException',
          $metadata: {},
        });
      }
      table.set(keyOf(item), item);
    }
    if (command === 'TransactWriteCommand') {
      for (const t of input.TransactItems) if (t.Put) table.set(keyOf(plain(t.Put.Item)), plain(t.Put.Item));
    }
    if (command === 'UpdateCommand') {
      const item = table.get(keyOf(plain(input.Key)));
      const values = input.ExpressionAttributeValues ?? {};
      const plainValues = Object.values(values).some(
        (v: any) => v && typeof v === 'object' && ('S' in v || 'N' in v || 'M' in v),
      )
        ? unmarshall(values)
        : values;
      if (item) {
        for (const [name, field] of Object.entries(input.ExpressionAttributeNames ?? {})) {
          const value = plainValues[`:${name.slice(1)}`];
          if (value !== undefined) item[field as string] = value;
        }
      }
    }
    return { output: { $metadata: {} }, response: {} } as never;
  },
  { step: 'initialize', name: 'inMemoryTable', priority: 'high' },
);

const auditRecords = () => [...table.values()].filter((i) => String(i.pk).startsWith('AUDIT#'));

beforeEach(() => {
  table.clear();
  calls.length = 0;
  failWith = undefined;
});

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

  it('answers a throttled AWS call with 503, Retry-After and the stable body', async () => {
    for (const error of [
      new ProvisionedThroughputExceededException({ $metadata: {}, message: 'Rate of requests exceeds' }),
      Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }), // Step Functions, EventBridge
      new TransactionCanceledException({
        $metadata: {},
        message: 'Transaction cancelled [TransactionConflict]',
        CancellationReasons: [{ Code: 'TransactionConflict' }, { Code: 'None' }],
      }),
    ]) {
      const throttled = httpHandler({}, async () => {
        throw error;
      });
      const res = await throttled(event({ groups: ['admin'] }), context);
      expect(res.statusCode).toBe(503);
      expect(res.headers?.['retry-after']).toBe('1');
      expect(JSON.parse(res.body as string)).toEqual({
        error: {
          code: 'SERVICE_UNAVAILABLE',
          message: expect.any(String),
          details: { retryAfterSeconds: 1, correlationId: 'corr-1' },
        },
      });
      expect(res.body).not.toContain('Rate');
    }
  });

  it('keeps a refused transaction a 500, not a 503: repeating it would not help', async () => {
    const refused = httpHandler({}, async () => {
      throw new TransactionCanceledException({
        $metadata: {},
        message: 'Transaction cancelled [ConditionalCheckFailed]',
        CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'TransactionConflict' }],
      });
    });
    expect((await refused(event({ groups: ['admin'] }), context)).statusCode).toBe(500);
  });

  it('tells when to come back on every 503, keeping a domain error its own code', async () => {
    const busy = httpHandler({}, async () => {
      throw new DomainError(503, 'CONTENTION', 'Too much contention; retry shortly');
    });
    const res = await busy(event({ groups: ['admin'] }), context);
    expect(res.statusCode).toBe(503);
    expect(res.headers?.['retry-after']).toBe('1');
    expect(JSON.parse(res.body as string).error.code).toBe('CONTENTION');
  });
});

describe('audit in the HTTP wrapper', () => {
  it('records a command that wrote nothing as unchanged, with its redacted input', async () => {
    const res = await handler(
      event({ groups: ['inventory-controller'], body: '{"quantity":3,"apiToken":"s3cr3t"}' }),
      context,
    );
    expect(res.statusCode).toBe(200);
    expect(auditRecords()).toMatchObject([
      {
        actor: 'ana',
        action: 'POST /api/inventory/adjustments',
        outcome: 'unchanged',
        status: 200,
        correlationId: 'corr-1',
        after: { quantity: 3, by: 'ana' },
      },
    ]);
  });

  it('answers 503 instead of a silent success when the record cannot be written', async () => {
    failWith = (command, input) =>
      command === 'PutCommand' && String(input.Item?.pk).startsWith('AUDIT#')
        ? new ProvisionedThroughputExceededException({ $metadata: {}, message: 'throttled' })
        : undefined;
    const res = await handler(event({ groups: ['admin'], body: '{"quantity":3}' }), context);
    expect(res.statusCode).toBe(503);
    expect(res.headers?.['retry-after']).toBe('1');
    expect(JSON.parse(res.body as string).error).toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      details: { retryAfterSeconds: 1, correlationId: 'corr-1' },
    });
  });

  it("puts the record in the command's transaction, then completes that same record", async () => {
    const transactional = httpHandler({}, async () => {
      const put = auditPut('qm-unit', { stored: true });
      expect(put).toBeDefined();
      await documentClient().send(
        new TransactWriteCommand({
          TransactItems: [{ Put: { TableName: 'qm-unit', Item: { pk: 'THING#1', sk: 'THING' } } }, put!],
        }),
      );
      auditCommitted(put);
      // Recorded: a second write of the same command carries no second record.
      expect(auditPut('qm-unit')).toBeUndefined();
      return { status: 201, body: { id: 1 } };
    });
    const res = await transactional(event({ groups: ['admin'] }), context);
    expect(res.statusCode).toBe(201);
    expect(calls.map((c) => c.command)).toEqual(['TransactWriteCommand', 'UpdateCommand']);
    expect(auditRecords()).toMatchObject([{ outcome: 'succeeded', status: 201, after: { id: 1 } }]);
  });

  it('fails a command whose transaction was refused for the audit record alone', async () => {
    const refused = httpHandler({}, async () => {
      const put = auditPut('qm-unit');
      auditCancelled(put, [{ Code: 'None' }, { Code: 'ConditionalCheckFailed' }]);
      return ok({ unreachable: true });
    });
    const res = await refused(event({ groups: ['admin'] }), context);
    expect(res.statusCode).toBe(503);
    expect(auditRecords()).toMatchObject([{ outcome: 'rejected', status: 503 }]);
  });

  it('records before a side effect and does not act when that record fails', async () => {
    let acted = false;
    const sideEffect = httpHandler({}, async () => {
      await recordAuditFirst();
      acted = true;
      return ok({ sent: true });
    });
    expect((await sideEffect(event({ groups: ['admin'] }), context)).statusCode).toBe(200);
    expect(acted).toBe(true);
    expect(auditRecords()).toMatchObject([{ outcome: 'succeeded', status: 200 }]);

    table.clear();
    acted = false;
    failWith = (command) =>
      command === 'PutCommand'
        ? Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' })
        : undefined;
    const res = await sideEffect(event({ groups: ['admin'] }), context);
    expect(res.statusCode).toBe(503);
    expect(acted).toBe(false);
  });

  it('writes nothing for reads, and nothing from work still running after the answer', async () => {
    let later: (() => unknown) | undefined;
    const lingering = httpHandler({}, async () => {
      later = () => auditPut('qm-unit');
      return ok({});
    });
    const read = event({ groups: ['admin'], routeKey: 'GET /api/inventory/{sku}' });
    read.requestContext.http.method = 'GET';
    await lingering(read, context);
    expect(auditRecords()).toEqual([]);
    await lingering(event({ groups: ['admin'] }), context);
    expect(later?.()).toBeUndefined();
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
