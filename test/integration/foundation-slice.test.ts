import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MANIFEST } from '../../lib/manifest/index.ts';
import { ROLES, type Role, routeKey } from '../../lib/manifest/types.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';

let rt: TestRuntime;

beforeAll(async () => {
  rt = await startTestRuntime();
  await rt.api('PUT', '/api/locations/WH1', {
    body: { name: 'Main warehouse', type: 'warehouse', timezone: 'Europe/Berlin' },
  });
  await rt.api('PUT', '/api/skus/TEE-M', { body: { name: 'Tee M', barcodes: ['4006381333931'] } });
});
afterAll(() => rt?.stop());

const concretePath = (p: string) => p.replace(/\{[^}]+\}/g, 'X');
const apiRoutes = MANIFEST.routes.filter((r) => r.path.startsWith('/api/'));

describe('route protection', () => {
  it.each(apiRoutes.map((r) => [routeKey(r), r] as const))(
    '%s answers 401 without a token',
    async (_key, route) => {
      const res = await rt.api(route.method, concretePath(route.path), {
        role: null,
        ...(route.method === 'GET' ? {} : { body: {} }),
      });
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('UNAUTHORIZED');
    },
  );

  it('answers 401 for a token signed by someone else', async () => {
    const forged = (await rt.token('admin')).replace(/\.[^.]+$/, '.c2lnbmF0dXJl');
    const res = await fetch(`${rt.url}/api/inventory/TEE-M`, {
      headers: { authorization: `Bearer ${forged}` },
    });
    expect(res.status).toBe(401);
  });

  const guarded = apiRoutes.flatMap((r) => {
    const allowed = 'roles' in r.auth ? r.auth.roles : [];
    const denied = ROLES.find((role) => !allowed.includes(role));
    return denied ? [[routeKey(r), r, denied] as const] : [];
  });
  it.each(guarded)('%s answers 403 to a role it does not allow', async (_key, route, role) => {
    const res = await rt.api(route.method, concretePath(route.path), {
      role: role as Role,
      ...(route.method === 'GET' ? {} : { body: {} }),
    });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('FORBIDDEN');
  });
});

describe('health', () => {
  it('is ok when the table, bus and workflow runner answer', async () => {
    const res = await rt.api('GET', '/health', { role: null });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('ok');
  });
});

describe('bad input writes nothing and names the field', () => {
  it('rejects a location with an unknown type', async () => {
    const res = await rt.api('PUT', '/api/locations/WH9', { body: { name: 'X', type: 'garage' } });
    expect(res.status).toBe(400);
    expect(res.body.error.details.issues.map((i: { field: string }) => i.field)).toContain('type');
    expect(
      (
        await rt.api('PUT', '/api/locations/WH9', {
          body: { name: 'X', type: 'store', timezone: 'Mars/Olympus' },
        })
      ).body.error.details.issues[0].field,
    ).toBe('timezone');
  });

  it('rejects a SKU without a name', async () => {
    const res = await rt.api('PUT', '/api/skus/NEW-1', { body: { barcodes: ['1'] } });
    expect(res.status).toBe(400);
    expect(res.body.error.details.issues[0].field).toBe('name');
    expect((await rt.api('GET', '/api/skus/NEW-1')).status).toBe(404);
  });

  it.each([
    ['delta', { delta: 1.5 }],
    ['delta', { delta: 0 }],
    ['sku', { sku: '' }],
    ['locationId', { locationId: undefined }],
    ['idempotencyKey', { idempotencyKey: 'x' }],
    ['reason', { reason: '' }],
  ])('rejects an adjustment with a bad %s', async (field, patch) => {
    const body = {
      sku: 'TEE-M',
      locationId: 'WH1',
      delta: 1,
      reason: 'count',
      idempotencyKey: `bad-${field}-1`,
      ...patch,
    };
    const res = await rt.api('POST', '/api/inventory/adjustments', { body });
    expect(res.status).toBe(400);
    expect(res.body.error.details.issues.map((i: { field: string }) => i.field)).toContain(field);
    const stock = await rt.api('GET', '/api/inventory/TEE-M');
    expect(stock.body.positions).toEqual([]);
  });

  it('rejects a body that is not JSON', async () => {
    const res = await rt.api('POST', '/api/inventory/adjustments', { body: '{"sku":' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
  });
});

describe('adjustments', () => {
  it('adds units with one ledger movement and shows every bucket', async () => {
    const res = await rt.api('POST', '/api/inventory/adjustments', {
      body: {
        sku: 'TEE-M',
        locationId: 'WH1',
        delta: 12,
        reason: 'opening balance',
        idempotencyKey: 'open-tee-m-1',
      },
    });
    expect(res.status).toBe(201);
    expect(res.body.movement).toMatchObject({ delta: 12, reason: 'opening balance', actor: 'local-admin' });
    const stock = await rt.api('GET', '/api/inventory/TEE-M', { role: 'warehouse-associate' });
    expect(stock.body).toMatchObject({
      sku: 'TEE-M',
      positions: [
        {
          locationId: 'WH1',
          onHand: 12,
          reserved: 0,
          damaged: 0,
          quarantined: 0,
          returnedPending: 0,
          safetyStock: 0,
          inTransit: 0,
          available: 12,
        },
      ],
    });
  });

  it('never goes below zero and leaves the position unchanged when refused', async () => {
    const res = await rt.api('POST', '/api/inventory/adjustments', {
      body: {
        sku: 'TEE-M',
        locationId: 'WH1',
        delta: -1000,
        reason: 'shrinkage',
        idempotencyKey: 'shrink-too-much',
      },
    });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('INSUFFICIENT_STOCK');
    const stock = await rt.api('GET', '/api/inventory/TEE-M');
    expect(stock.body.positions[0].onHand).toBe(12);
  });

  it('applies a request retried ten times at once exactly once', async () => {
    const body = {
      sku: 'TEE-M',
      locationId: 'WH1',
      delta: 3,
      reason: 'found in aisle 4',
      idempotencyKey: 'found-aisle-4',
    };
    const results = await Promise.all(
      Array.from({ length: 10 }, () => rt.api('POST', '/api/inventory/adjustments', { body })),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.every((r) => r.status === 201 || r.status === 200)).toBe(true);
    expect(new Set(results.map((r) => r.body.movement.movementId)).size).toBe(1);
    const stock = await rt.api('GET', '/api/inventory/TEE-M');
    expect(stock.body.positions[0].onHand).toBe(15);
  });

  it('applies concurrent distinct adjustments to one position without losing any', async () => {
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        rt.api('POST', '/api/inventory/adjustments', {
          body: {
            sku: 'TEE-M',
            locationId: 'WH1',
            delta: 1,
            reason: 'receipt',
            idempotencyKey: `receipt-line-${i}`,
          },
        }),
      ),
    );
    const stock = await rt.api('GET', '/api/inventory/TEE-M');
    expect(stock.body.positions[0].onHand).toBe(35);
  });

  it('answers 404 for an unknown SKU or location and writes nothing', async () => {
    const a = await rt.api('POST', '/api/inventory/adjustments', {
      body: { sku: 'NOPE', locationId: 'WH1', delta: 1, reason: 'x', idempotencyKey: 'unknown-sku-1' },
    });
    const b = await rt.api('POST', '/api/inventory/adjustments', {
      body: { sku: 'TEE-M', locationId: 'NOWHERE', delta: 1, reason: 'x', idempotencyKey: 'unknown-loc-1' },
    });
    expect([a.status, b.status]).toEqual([404, 404]);
    expect((await rt.api('GET', '/api/inventory/NOPE')).body.positions).toEqual([]);
  });

  it('publishes StockAdjusted to the bus where the journal rule target records it', async () => {
    const res = await rt.api('POST', '/api/inventory/adjustments', {
      body: {
        sku: 'TEE-M',
        locationId: 'WH1',
        delta: -2,
        reason: 'damaged in transit',
        idempotencyKey: 'damaged-2-units',
      },
    });
    expect(res.status).toBe(201);
    await rt.settle();
    const seen = rt.bus.events({ detailType: 'StockAdjusted' });
    expect(
      seen.some((e) => (e.detail as { data: { reason: string } }).data.reason === 'damaged in transit'),
    ).toBe(true);
    const journal = await rt.api('GET', '/api/events?subject=sku:TEE-M', { role: 'supervisor' });
    expect(journal.status).toBe(200);
    expect(journal.body.items.map((e: { data: { reason: string } }) => e.data.reason)).toContain(
      'damaged in transit',
    );
    expect(rt.bus.deadLetters).toEqual([]);
  });
});

describe('catalog', () => {
  it('keeps a barcode unique to one SKU', async () => {
    const res = await rt.api('PUT', '/api/skus/TEE-L', {
      body: { name: 'Tee L', barcodes: ['4006381333931'] },
    });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('BARCODE_IN_USE');
  });
});
