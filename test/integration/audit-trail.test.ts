import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamoClient } from '../../functions/shared/clients.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';
import {
  putChannel,
  putLocation,
  putSku,
  sendOrder,
  stock,
  waitForStatus,
} from '../workflows/order-release-helpers.ts';

let rt: TestRuntime;
beforeAll(async () => {
  rt = await startTestRuntime();
});
afterAll(() => rt?.stop());

describe('audit trail', () => {
  it('records who changed what, with the outcome, correlation id and source address', async () => {
    const put = await rt.api('PUT', '/api/locations/STORE-7', {
      body: { name: 'Store 7', type: 'store' },
      headers: { 'x-correlation-id': 'audit-corr-1' },
    });
    expect(put.status).toBe(201);
    const res = await rt.api('GET', '/api/audit?action=PUT%20/api/locations/%7Bid%7D', {
      role: 'supervisor',
    });
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(1);
    expect(res.body.items[0]).toMatchObject({
      actor: 'local-admin',
      roles: ['admin'],
      action: 'PUT /api/locations/{id}',
      target: { id: 'STORE-7' },
      outcome: 'succeeded',
      status: 201,
      correlationId: 'audit-corr-1',
      after: { locationId: 'STORE-7', name: 'Store 7' },
    });
    expect(res.body.items[0].sourceIp).toBeTruthy();
  });

  it('records refused commands too, without their payload', async () => {
    const denied = await rt.api('PUT', '/api/locations/STORE-8', {
      role: 'warehouse-associate',
      body: { name: 'x', type: 'store' },
    });
    expect(denied.status).toBe(403);
    const res = await rt.api('GET', '/api/audit?actor=local-warehouse-associate');
    expect(res.body.items).toMatchObject([
      { outcome: 'rejected', status: 403, action: 'PUT /api/locations/{id}' },
    ]);
    expect(res.body.items[0].after).toBeUndefined();
  });

  it('does not record reads', async () => {
    await rt.api('GET', '/api/inventory/ANY', { role: 'finance' });
    const res = await rt.api('GET', '/api/audit?actor=local-finance');
    expect(res.body.items).toEqual([]);
  });

  it('is readable only by roles that oversee others', async () => {
    expect((await rt.api('GET', '/api/audit', { role: 'warehouse-associate' })).status).toBe(403);
  });

  it('pages newest first', async () => {
    for (let i = 0; i < 3; i++) {
      await rt.api('PUT', `/api/skus/AUDIT-${i}`, { body: { name: `Audited ${i}` } });
    }
    const first = await rt.api('GET', '/api/audit?action=PUT%20/api/skus/%7Bsku%7D&limit=2');
    expect(first.body.items.map((e: { target: { sku: string } }) => e.target.sku)).toEqual([
      'AUDIT-2',
      'AUDIT-1',
    ]);
    const second = await rt.api(
      'GET',
      `/api/audit?action=PUT%20/api/skus/%7Bsku%7D&limit=2&cursor=${first.body.nextCursor}`,
    );
    expect(second.body.items.map((e: { target: { sku: string } }) => e.target.sku)).toEqual(['AUDIT-0']);
  });
});

/* ------------------------------------------------------------------------------------------ */
/* Audit is part of the command                                                                */
/* ------------------------------------------------------------------------------------------ */

/**
 * Fails the audit part of every write, inside the runtime: the runtime runs the handlers in this
 * process on the kernel's one DynamoDB client, so a middleware on that client sees their calls.
 * A transaction that carries an audit record is cancelled with that record's condition failed
 * (nothing in it is written); a lone audit write is throttled.
 */
const auditFault = { on: false, seen: 0 };
const carriesAudit = (value: unknown) => JSON.stringify(value ?? {}).includes('"AUDIT#');

function installAuditFault() {
  dynamoClient().middlewareStack.add(
    (next) => async (args) => {
      const input = (args.input ?? {}) as Record<string, unknown>;
      if (!auditFault.on) return next(args);
      if (Array.isArray(input.TransactItems) && input.TransactItems.some(carriesAudit)) {
        auditFault.seen++;
        throw new TransactionCanceledException({
          $metadata: {},
          message: 'Transaction cancelled [ConditionalCheckFailed]',
          CancellationReasons: input.TransactItems.map((item) => ({
            Code: carriesAudit(item) ? 'ConditionalCheckFailed' : 'None',
          })),
        });
      }
      if (carriesAudit(input.Item) || carriesAudit(input.Key)) {
        auditFault.seen++;
        throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: {} });
      }
      return next(args);
    },
    { step: 'initialize', name: 'auditFault', priority: 'high' },
  );
}

interface Audited {
  actor: string;
  action: string;
  target: Record<string, string>;
  outcome: string;
  status?: number;
  correlationId: string;
  input?: unknown;
  after?: unknown;
}

let seq = 0;
const corr = (name: string) => `audit-${name}-${++seq}`;

async function auditOf(correlationId: string): Promise<Audited[]> {
  const res = await rt.api('GET', '/api/audit?limit=200');
  expect(res.status).toBe(200);
  return (res.body.items as Audited[]).filter((e) => e.correlationId === correlationId);
}

/** Runs a command with its own correlation id; answers the response and its audit records. */
async function command(
  name: string,
  method: string,
  path: string,
  opts: { body?: unknown; role?: 'admin' | 'customer-service' } = {},
) {
  const correlationId = corr(name);
  const res = await rt.api(method, path, { ...opts, headers: { 'x-correlation-id': correlationId } });
  return { res, records: await auditOf(correlationId) };
}

/** A position's buckets as GET /api/inventory/{sku} shows them. */
const bucketsAt = async (sku: string, locationId: string) => {
  const res = await rt.api('GET', `/api/inventory/${sku}`);
  expect(res.status).toBe(200);
  const { updatedAt: _u, ...buckets } = res.body.positions.find(
    (p: { locationId: string }) => p.locationId === locationId,
  );
  expect(buckets.onHand).toEqual(expect.any(Number));
  return buckets;
};
const ledgerSize = async (sku: string) => {
  await rt.settle();
  return (await rt.api('GET', `/api/inventory/${sku}/ledger?limit=200`)).body.items.length as number;
};

describe('audit is part of the command', () => {
  beforeAll(async () => {
    installAuditFault();
    await putSku(rt, 'AUD-TEE');
    await putLocation(rt, 'AUD-WH', 'warehouse', 'US', 'OR');
    await putChannel(rt, 'aud-web', { locationIds: ['AUD-WH'], priority: 1, fraudThreshold: 50 });
    await stock(rt, 'AUD-TEE', 'AUD-WH', 50);
  });
  afterAll(() => {
    auditFault.on = false;
  });

  it('records each successful command exactly once, as the actor, on its target', async () => {
    const put = await command('sku', 'PUT', '/api/skus/AUD-MUG', { body: { name: 'Mug' } });
    expect(put.res.status).toBe(201);
    expect(put.records).toHaveLength(1);
    expect(put.records[0]).toMatchObject({
      actor: 'local-admin',
      action: 'PUT /api/skus/{sku}',
      target: { sku: 'AUD-MUG' },
      outcome: 'succeeded',
      status: 201,
      input: { name: 'Mug' },
      after: { sku: 'AUD-MUG', name: 'Mug' },
    });

    const adjustment = {
      sku: 'AUD-TEE',
      locationId: 'AUD-WH',
      delta: 5,
      reason: 'count',
      idempotencyKey: 'aud-adj-1',
    };
    const adj = await command('adj', 'POST', '/api/inventory/adjustments', { body: adjustment });
    expect(adj.res.status).toBe(201);
    expect(adj.records).toMatchObject([
      { action: 'POST /api/inventory/adjustments', outcome: 'succeeded', status: 201, input: adjustment },
    ]);
    // The same command again changes nothing: recorded, but not as a second change.
    const again = await command('adj-again', 'POST', '/api/inventory/adjustments', { body: adjustment });
    expect(again.res.status).toBe(200);
    expect(again.records).toMatchObject([{ outcome: 'unchanged', status: 200 }]);

    const receipt = await command('receipt', 'POST', '/api/inventory/receipts', {
      body: {
        sku: 'AUD-TEE',
        locationId: 'AUD-WH',
        quantity: 3,
        reason: 'PO 7',
        idempotencyKey: 'aud-rcv-1',
      },
    });
    expect(receipt.res.status).toBe(201);
    expect(receipt.records).toMatchObject([{ action: 'POST /api/inventory/receipts', outcome: 'succeeded' }]);

    for (const [id, close] of [
      ['aud-res-1', ['POST', '/api/reservations/aud-res-1/consume', 'POST /api/reservations/{id}/consume']],
      ['aud-res-2', ['DELETE', '/api/reservations/aud-res-2', 'DELETE /api/reservations/{id}']],
    ] as const) {
      const reserve = await command('reserve', 'POST', '/api/reservations', {
        body: { reservationId: id, lines: [{ sku: 'AUD-TEE', locationId: 'AUD-WH', quantity: 2 }] },
      });
      expect(reserve.res.status).toBe(201);
      expect(reserve.records).toMatchObject([
        { action: 'POST /api/reservations', outcome: 'succeeded', status: 201 },
      ]);
      const closed = await command('close', close[0], close[1]);
      expect(closed.res.status).toBe(200);
      expect(closed.records).toMatchObject([{ action: close[2], target: { id }, outcome: 'succeeded' }]);
    }

    const channel = await command('channel', 'PUT', '/api/channels/aud-shop', {
      body: { type: 'generic', secret: 'aud-shop-secret-value', locationIds: ['AUD-WH'] },
    });
    expect(channel.res.status).toBe(201);
    expect(channel.records).toMatchObject([
      { action: 'PUT /api/channels/{channelId}', target: { channelId: 'aud-shop' }, outcome: 'succeeded' },
    ]);
    expect(JSON.stringify(channel.records)).not.toContain('aud-shop-secret-value');

    const rules = await command('rules', 'PUT', '/api/routing-rules', {
      body: { rules: {}, note: 'audited' },
    });
    expect(rules.res.status).toBe(201);
    expect(rules.records).toMatchObject([
      { action: 'PUT /api/routing-rules', outcome: 'succeeded', status: 201, input: { note: 'audited' } },
    ]);
  });

  it('records order holds and cancellations, whose side effects follow their audited write', async () => {
    const orderId = await sendOrder(rt, 'aud-web', {
      lines: [{ sku: 'AUD-TEE', quantity: 1 }],
      payment: 'authorized',
    });
    await waitForStatus(rt, orderId, 'on_hold');

    const hold = await command('hold', 'POST', `/api/orders/${orderId}/holds`, {
      role: 'customer-service',
      body: { reason: 'customer called' },
    });
    expect(hold.res.status).toBe(201);
    expect(hold.records).toMatchObject([
      {
        actor: 'local-customer-service',
        action: 'POST /api/orders/{id}/holds',
        target: { id: orderId },
        outcome: 'succeeded',
        status: 201,
      },
    ]);

    const cancel = await command('cancel', 'POST', `/api/orders/${orderId}/cancel`, {
      role: 'customer-service',
      body: { reason: 'changed mind' },
    });
    expect(cancel.res.status).toBe(200);
    expect(cancel.records).toMatchObject([
      { action: 'POST /api/orders/{id}/cancel', target: { id: orderId }, outcome: 'succeeded', status: 200 },
    ]);
    await waitForStatus(rt, orderId, 'cancelled');
  });

  it('fails the command and changes nothing when its audit record cannot be written', async () => {
    const before = await bucketsAt('AUD-TEE', 'AUD-WH');
    const ledgerBefore = await ledgerSize('AUD-TEE');
    const orderId = await sendOrder(rt, 'aud-web', {
      lines: [{ sku: 'AUD-TEE', quantity: 1 }],
      payment: 'authorized',
    });
    await waitForStatus(rt, orderId, 'on_hold');
    const adjustment = {
      sku: 'AUD-TEE',
      locationId: 'AUD-WH',
      delta: 7,
      reason: 'count',
      idempotencyKey: 'aud-adj-fault',
    };
    const receipt = {
      sku: 'AUD-TEE',
      locationId: 'AUD-WH',
      quantity: 4,
      reason: 'PO 8',
      idempotencyKey: 'aud-rcv-fault',
    };
    const reservation = {
      reservationId: 'aud-res-fault',
      lines: [{ sku: 'AUD-TEE', locationId: 'AUD-WH', quantity: 3 }],
    };

    auditFault.on = true;
    try {
      const refused = [
        await rt.api('PUT', '/api/skus/AUD-TEE', { body: { name: 'Renamed' } }),
        await rt.api('POST', '/api/inventory/adjustments', { body: adjustment }),
        await rt.api('POST', '/api/inventory/receipts', { body: receipt }),
        await rt.api('POST', '/api/reservations', { body: reservation }),
        await rt.api('POST', `/api/orders/${orderId}/holds`, {
          role: 'customer-service',
          body: { reason: 'x' },
        }),
        await rt.api('PUT', '/api/routing-rules', { body: { rules: {}, note: 'never saved' } }),
        await rt.api('POST', '/api/routing-rules/simulate', { body: { rules: {}, days: 1 } }),
      ];
      for (const res of refused) {
        expect(res.status, JSON.stringify(res.body)).toBe(503);
        expect(res.headers.get('retry-after')).toBe('1');
        expect(res.body.error).toMatchObject({
          code: 'SERVICE_UNAVAILABLE',
          details: { retryAfterSeconds: 1, correlationId: expect.any(String) },
        });
      }
    } finally {
      auditFault.on = false;
    }
    expect(auditFault.seen).toBeGreaterThanOrEqual(7);

    expect((await rt.api('GET', '/api/skus/AUD-TEE')).body.name).toBe('AUD-TEE');
    expect(await bucketsAt('AUD-TEE', 'AUD-WH')).toEqual(before);
    expect(await ledgerSize('AUD-TEE')).toBe(ledgerBefore);
    expect((await rt.api('GET', '/api/reservations/aud-res-fault')).status).toBe(404);
    expect((await rt.api('GET', `/api/orders/${orderId}`)).body.holds.manual).toBeUndefined();
    const versions = (await rt.api('GET', '/api/routing-rules')).body.versions as { note?: string }[];
    expect(versions.map((v) => v.note)).not.toContain('never saved');

    // The same requests again, once the trail takes writes: each applies exactly once.
    expect((await rt.api('POST', '/api/inventory/adjustments', { body: adjustment })).status).toBe(201);
    expect((await rt.api('POST', '/api/inventory/receipts', { body: receipt })).status).toBe(201);
    expect((await rt.api('POST', '/api/reservations', { body: reservation })).status).toBe(201);
    expect((await rt.api('POST', '/api/inventory/adjustments', { body: adjustment })).status).toBe(200);
    expect((await rt.api('POST', '/api/inventory/receipts', { body: receipt })).status).toBe(200);
    expect((await rt.api('POST', '/api/reservations', { body: reservation })).headers.get('x-replayed')).toBe(
      'true',
    );
    const after = await bucketsAt('AUD-TEE', 'AUD-WH');
    expect(after.onHand).toBe(before.onHand + 7 + 4);
    expect(after.reserved).toBe(before.reserved + 3);
    expect(await ledgerSize('AUD-TEE')).toBe(ledgerBefore + 3);
  });
});
