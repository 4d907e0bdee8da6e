import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';

/** Inbound through the local runtime: suppliers, POs, ASNs by JSON and CSV, incoming stock. */
let rt: TestRuntime;

beforeAll(async () => {
  rt = await startTestRuntime();
  for (const loc of ['WH1', 'WH2']) {
    await rt.api('PUT', `/api/locations/${loc}`, { body: { name: loc, type: 'warehouse' } });
  }
  for (const sku of ['BOLT', 'NUT', 'WASHER'])
    await rt.api('PUT', `/api/skus/${sku}`, { body: { name: sku } });
  await rt.api('PUT', '/api/skus/BOLT-KIT', {
    body: { name: 'Bolt kit', kit: { components: [{ sku: 'BOLT', quantity: 2 }] } },
  });
  for (const [id, currency] of [
    ['ACME', 'USD'],
    ['NIPPON', 'JPY'],
  ] as const) {
    const res = await rt.api('PUT', `/api/suppliers/${id}`, {
      role: 'inventory-controller',
      body: { name: id, leadTimeDays: 14, currency, moq: 10, casePack: 5 },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  }
}, 120_000);
afterAll(() => rt?.stop());

const po = (poId: string, lines: { sku: string; quantity: number; unitCost: string }[], extra = {}) => ({
  poId,
  supplierId: 'ACME',
  locationId: 'WH1',
  expectedAt: '2026-12-20',
  lines,
  ...extra,
});
const place = (
  body: unknown,
  role: 'admin' | 'inventory-controller' | 'supervisor' = 'inventory-controller',
) => rt.api('POST', '/api/purchase-orders', { role, body });
const csv = (text: string) =>
  rt.api('POST', '/api/asns/csv', {
    role: 'supervisor',
    body: text,
    headers: { 'content-type': 'text/csv' },
  });

describe('suppliers', () => {
  it('creates, replaces, reads and lists suppliers; only buyers write them', async () => {
    const replaced = await rt.api('PUT', '/api/suppliers/ACME', {
      body: { name: 'Acme Fasteners', leadTimeDays: 10, currency: 'USD' },
    });
    expect(replaced.status).toBe(200);
    const one = await rt.api('GET', '/api/suppliers/ACME', { role: 'warehouse-associate' });
    expect(one.body).toEqual({
      supplierId: 'ACME',
      name: 'Acme Fasteners',
      leadTimeDays: 10,
      currency: 'USD',
      updatedAt: expect.any(String),
      updatedBy: 'local-admin',
    });
    const list = await rt.api('GET', '/api/suppliers', { role: 'finance' });
    expect(list.body.items.map((s: { supplierId: string }) => s.supplierId)).toEqual(['ACME', 'NIPPON']);

    const denied = await rt.api('PUT', '/api/suppliers/X', {
      role: 'warehouse-associate',
      body: { name: 'X', leadTimeDays: 1, currency: 'USD' },
    });
    expect(denied.status).toBe(403);
    const bad = await rt.api('PUT', '/api/suppliers/X', {
      body: { name: 'X', leadTimeDays: 1, currency: 'usd' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.issues).toEqual([{ field: 'currency', message: expect.any(String) }]);
    expect((await rt.api('GET', '/api/suppliers/X')).status).toBe(404);
  });
});

describe('purchase orders', () => {
  it('places an open PO in minor units, answers a repeat with the same PO and refuses a different body', async () => {
    const body = po('PO-1', [
      { sku: 'BOLT', quantity: 100, unitCost: '0.25' },
      { sku: 'NUT', quantity: 40, unitCost: '1.5' },
    ]);
    const first = await place(body);
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body).toMatchObject({
      poId: 'PO-1',
      status: 'open',
      currency: 'USD',
      totalUnits: 140,
      totalCostMinor: 8500,
      totalCost: '85.00',
      lines: [
        { sku: 'BOLT', quantity: 100, received: 0, unitCostMinor: 25, unitCost: '0.25' },
        { sku: 'NUT', quantity: 40, received: 0, unitCostMinor: 150, unitCost: '1.50' },
      ],
    });

    // Same PO, lines in another order and cost written differently: the same definition.
    const again = await place({
      ...body,
      lines: [{ sku: 'NUT', quantity: 40, unitCost: '1.50' }, body.lines[0]],
    });
    expect(again.status).toBe(200);
    expect(again.body.createdAt).toBe(first.body.createdAt);

    const changed = await place({ ...body, lines: [{ ...body.lines[0], quantity: 101 }, body.lines[1]] });
    expect(changed.status).toBe(409);
    expect(changed.body.error).toMatchObject({ code: 'PO_CONFLICT', details: { id: 'PO-1' } });

    const read = await rt.api('GET', '/api/purchase-orders/PO-1', { role: 'warehouse-associate' });
    expect(read.body.lines.map((l: { quantity: number }) => l.quantity)).toEqual([100, 40]);

    // One event id however often the PO was placed.
    const events = await rt.api('GET', '/local/events?detailType=PurchaseOrderPlaced');
    const ids = events.body.items
      .filter((e: { detail: { data: { poId: string } } }) => e.detail.data.poId === 'PO-1')
      .map((e: { detail: { metadata: { eventId: string } } }) => e.detail.metadata.eventId);
    expect(ids).toHaveLength(2); // the repeat re-sends the identical event
    expect(new Set(ids).size).toBe(1);
  });

  it('refuses unknown SKUs, kits, unknown suppliers and locations, and costs finer than the currency', async () => {
    const unknown = await place(po('PO-X', [{ sku: 'NOPE', quantity: 1, unitCost: '1' }]));
    expect(unknown.status).toBe(422);
    expect(unknown.body.error).toMatchObject({
      code: 'UNKNOWN_SKU',
      details: { lines: [{ line: 0, sku: 'NOPE' }] },
    });
    const kit = await place(po('PO-X', [{ sku: 'BOLT-KIT', quantity: 1, unitCost: '1' }]));
    expect(kit.body.error.code).toBe('SKU_IS_KIT');
    const supplier = await place(
      po('PO-X', [{ sku: 'BOLT', quantity: 1, unitCost: '1' }], { supplierId: 'NONE' }),
    );
    expect(supplier.body.error.code).toBe('UNKNOWN_SUPPLIER');
    const location = await place(
      po('PO-X', [{ sku: 'BOLT', quantity: 1, unitCost: '1' }], { locationId: 'MOON' }),
    );
    expect(location.body.error.code).toBe('UNKNOWN_LOCATION');
    const yen = await place(
      po('PO-X', [{ sku: 'BOLT', quantity: 1, unitCost: '12.5' }], { supplierId: 'NIPPON' }),
    );
    expect(yen.status).toBe(400);
    expect(yen.body.error.details.issues).toEqual([
      { field: 'lines.0.unitCost', message: 'JPY has 0 decimal place(s)' },
    ]);
    const twice = await place(
      po('PO-X', [
        { sku: 'BOLT', quantity: 1, unitCost: '1' },
        { sku: 'BOLT', quantity: 2, unitCost: '1' },
      ]),
    );
    expect(twice.body.error.details.issues).toEqual([{ field: 'lines.1.sku', message: 'SKU listed twice' }]);
    expect(
      (await place(po('PO-X', [{ sku: 'BOLT', quantity: 1, unitCost: '1' }]), 'supervisor')).status,
    ).toBe(403);
    expect((await rt.api('GET', '/api/purchase-orders/PO-X')).status).toBe(404);
  });

  it('lists POs by status, supplier and location, and cancels the rest of a PO with a reason', async () => {
    await place(
      po('PO-2', [{ sku: 'WASHER', quantity: 30, unitCost: '0.10' }], {
        locationId: 'WH2',
        expectedAt: '2026-12-10',
      }),
    );
    await place(po('PO-3', [{ sku: 'WASHER', quantity: 5, unitCost: '100' }], { supplierId: 'NIPPON' }));
    const ids = (res: { body: { items: { poId: string }[] } }) => res.body.items.map((p) => p.poId);

    const open = await rt.api('GET', '/api/purchase-orders?status=open', { role: 'customer-service' });
    expect(ids(open)).toEqual(['PO-2', 'PO-1', 'PO-3']); // earliest expected first
    expect(ids(await rt.api('GET', '/api/purchase-orders?supplierId=NIPPON'))).toEqual(['PO-3']);
    expect(ids(await rt.api('GET', '/api/purchase-orders?status=open&locationId=WH2'))).toEqual(['PO-2']);
    const paged = await rt.api('GET', '/api/purchase-orders?status=open&limit=2');
    expect(ids(paged)).toEqual(['PO-2', 'PO-1']);
    const rest = await rt.api(
      'GET',
      `/api/purchase-orders?status=open&limit=2&cursor=${paged.body.nextCursor}`,
    );
    expect(ids(rest)).toEqual(['PO-3']);

    const cancel = await rt.api('POST', '/api/purchase-orders/PO-3/cancel', {
      body: { reason: 'supplier out of stock' },
    });
    expect(cancel.status).toBe(200);
    expect(cancel.body).toMatchObject({ status: 'cancelled', cancelReason: 'supplier out of stock' });
    const repeat = await rt.api('POST', '/api/purchase-orders/PO-3/cancel', { body: { reason: 'again' } });
    expect(repeat.body.cancelReason).toBe('supplier out of stock');
    expect(ids(await rt.api('GET', '/api/purchase-orders?status=cancelled'))).toEqual(['PO-3']);
    expect(ids(await rt.api('GET', '/api/purchase-orders?supplierId=NIPPON&status=open'))).toEqual([]);
  });
});

describe('ASNs', () => {
  it('takes an ASN by JSON within what the PO still expects, idempotent by asnId', async () => {
    const body = {
      asnId: 'ASN-1',
      poId: 'PO-1',
      cartons: [{ cartonId: 'C1', lines: [{ sku: 'BOLT', quantity: 50 }] }],
      lines: [{ sku: 'BOLT', quantity: 10 }],
    };
    const first = await rt.api('POST', '/api/asns', { role: 'supervisor', body });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body.totals).toEqual([{ sku: 'BOLT', quantity: 60 }]);
    expect((await rt.api('POST', '/api/asns', { role: 'supervisor', body })).status).toBe(200);
    const other = await rt.api('POST', '/api/asns', {
      body: { ...body, lines: [{ sku: 'BOLT', quantity: 11 }] },
    });
    expect(other.body.error.code).toBe('ASN_CONFLICT');

    const over = await rt.api('POST', '/api/asns', {
      body: {
        asnId: 'ASN-2',
        poId: 'PO-1',
        lines: [
          { sku: 'BOLT', quantity: 41 },
          { sku: 'WASHER', quantity: 1 },
        ],
      },
    });
    expect(over.status).toBe(409);
    expect(over.body.error.code).toBe('ASN_DOES_NOT_FIT_PO');
    expect(over.body.error.details.issues).toEqual([
      expect.objectContaining({ code: 'EXCEEDS_PO', sku: 'BOLT', quantity: 41, remaining: 40 }),
      expect.objectContaining({ code: 'NOT_ON_PO', sku: 'WASHER' }),
    ]);
    const cancelled = await rt.api('POST', '/api/asns', {
      body: { asnId: 'ASN-3', poId: 'PO-3', lines: [{ sku: 'WASHER', quantity: 1 }] },
    });
    expect(cancelled.body.error.code).toBe('PO_NOT_RECEIVABLE');

    const read = await rt.api('GET', '/api/purchase-orders/PO-1');
    expect(read.body.asnIds).toEqual(['ASN-1']);
    expect(read.body.lines[0]).toMatchObject({ sku: 'BOLT', advised: 60, received: 0 });
    expect((await rt.api('GET', '/api/asns/ASN-2')).status).toBe(404);
  });

  it('takes several ASNs from a good CSV, and a repeat of the file answers them unchanged', async () => {
    const text = [
      'asnId,poId,cartonId,sku,quantity',
      'ASN-10,PO-1,C1,BOLT,20',
      'ASN-10,PO-1,C1,NUT,10',
      'ASN-10,PO-1,,NUT,5',
      'ASN-11,PO-2,P1,WASHER,30',
    ].join('\n');
    const first = await csv(text);
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body.items.map((a: { asnId: string; created: boolean }) => [a.asnId, a.created])).toEqual([
      ['ASN-10', true],
      ['ASN-11', true],
    ]);
    const asn = await rt.api('GET', '/api/asns/ASN-10', { role: 'warehouse-associate' });
    expect(asn.body).toMatchObject({
      poId: 'PO-1',
      cartons: [
        {
          cartonId: 'C1',
          lines: [
            { sku: 'BOLT', quantity: 20 },
            { sku: 'NUT', quantity: 10 },
          ],
        },
      ],
      lines: [{ sku: 'NUT', quantity: 5 }],
      totals: [
        { sku: 'BOLT', quantity: 20 },
        { sku: 'NUT', quantity: 15 },
      ],
    });
    const again = await csv(text);
    expect(again.status).toBe(200);
    expect(again.body.items.every((a: { created: boolean }) => !a.created)).toBe(true);
    const po1 = await rt.api('GET', '/api/purchase-orders/PO-1');
    expect(po1.body.lines.map((l: { advised: number }) => l.advised)).toEqual([80, 15]);
  });

  it('refuses a CSV with any bad row whole, naming each row and field, and writes nothing', async () => {
    const text = [
      'asnId,poId,cartonId,sku,quantity',
      'ASN-20,PO-1,C9,BOLT,5', // fine on its own
      'ASN-20,PO-1,C9,NUT,-1', // row 3: quantity
      ',PO-1,C9,NUT,1', // row 4: asnId
      'ASN-21,PO-2,,WASHER,1', // row 5: PO-2 expects no more from ASNs (30 of 30 advised)
      'ASN-22,PO-1,,NOPE,1', // row 6: not on the PO
    ].join('\n');
    const res = await csv(text);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('CSV_REJECTED');
    // Format errors are reported first; the PO checks run only on a well-formed file.
    expect(res.body.error.details.issues).toEqual([
      { row: 3, field: 'quantity', message: expect.any(String) },
      { row: 4, field: 'asnId', message: 'required' },
    ]);

    const fixed = text.replace('C9,NUT,-1', 'C9,NUT,1').replace('\n,PO-1,C9,NUT,1', '\nASN-20,PO-1,C8,NUT,1');
    const second = await csv(fixed);
    expect(second.status).toBe(400);
    expect(second.body.error.details.issues).toEqual([
      { row: 5, field: 'quantity', message: expect.stringContaining('expects 0 more') },
      { row: 6, field: 'sku', message: 'NOPE is not on PO PO-1' },
    ]);
    for (const id of ['ASN-20', 'ASN-21', 'ASN-22'])
      expect((await rt.api('GET', `/api/asns/${id}`)).status).toBe(404);
    const po1 = await rt.api('GET', '/api/purchase-orders/PO-1');
    expect(po1.body.lines.map((l: { advised: number }) => l.advised)).toEqual([80, 15]);

    const header = await csv('asn,poId,cartonId,sku,quantity\nA,PO-1,,BOLT,1');
    expect(header.body.error.details.issues).toEqual([
      { row: 1, field: '(header)', message: expect.stringContaining('missing asnId') },
    ]);
    const json = await rt.api('POST', '/api/asns/csv', { body: { asnId: 'A' } });
    expect(json.status).toBe(415);
  });
});

describe('incoming stock', () => {
  it('shows open PO quantities per SKU and location on the stock view, without cancelled POs', async () => {
    const stock = await rt.api('GET', '/api/inventory/WASHER', { role: 'customer-service' });
    expect(stock.status).toBe(200);
    // PO-3 (WH1, cancelled) is gone; PO-2's 30 at WH2 are still incoming (advised is not received).
    expect(stock.body.incoming).toEqual([
      {
        locationId: 'WH2',
        quantity: 30,
        purchaseOrders: [{ poId: 'PO-2', expectedAt: '2026-12-10', quantity: 30 }],
      },
    ]);
    const bolt = await rt.api('GET', '/api/inventory/BOLT');
    expect(bolt.body.incoming).toEqual([
      {
        locationId: 'WH1',
        quantity: 100,
        purchaseOrders: [{ poId: 'PO-1', expectedAt: '2026-12-20', quantity: 100 }],
      },
    ]);
    const nothing = await rt.api('GET', '/api/inventory/BOLT-KIT');
    expect(nothing.body.incoming).toBeUndefined();
  });
});
