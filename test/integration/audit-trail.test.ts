import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';

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
