import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';

/** Receiving at the dock through the local runtime: scans against an ASN, exceptions on close. */
let rt: TestRuntime;

beforeAll(async () => {
  rt = await startTestRuntime();
  await rt.api('PUT', '/api/locations/WH1', { body: { name: 'WH1', type: 'warehouse' } });
  await rt.api('PUT', '/api/skus/RA', { body: { name: 'RA', barcodes: ['4006381333931'] } });
  for (const sku of ['RB', 'RC', 'RD', 'RE', 'RF', 'RX'])
    await rt.api('PUT', `/api/skus/${sku}`, { body: { name: sku } });
  const supplier = await rt.api('PUT', '/api/suppliers/ACME', {
    body: { name: 'Acme', leadTimeDays: 7, currency: 'USD' },
  });
  expect(supplier.status, JSON.stringify(supplier.body)).toBe(201);
}, 120_000);
afterAll(() => rt?.stop());

/** A PO and one ASN announcing exactly what it ordered. */
async function poWithAsn(id: string, lines: { sku: string; quantity: number; unitCost: string }[]) {
  const po = await rt.api('POST', '/api/purchase-orders', {
    body: { poId: `PO-${id}`, supplierId: 'ACME', locationId: 'WH1', expectedAt: '2026-12-20', lines },
  });
  expect(po.status, JSON.stringify(po.body)).toBe(201);
  const asn = await rt.api('POST', '/api/asns', {
    role: 'supervisor',
    body: {
      asnId: `ASN-${id}`,
      poId: `PO-${id}`,
      lines: lines.map((l) => ({ sku: l.sku, quantity: l.quantity })),
    },
  });
  expect(asn.status, JSON.stringify(asn.body)).toBe(201);
}
const scan = (asnId: string, body: Record<string, unknown>) =>
  rt.api('POST', `/api/receipts/${asnId}/scans`, { role: 'warehouse-associate', body });
const close = (asnId: string) => rt.api('POST', `/api/receipts/${asnId}/close`, { role: 'supervisor' });
const poStatus = async (poId: string) => (await rt.api('GET', `/api/purchase-orders/${poId}`)).body.status;
const position = async (sku: string) =>
  (await rt.api('GET', `/api/inventory/${sku}`)).body.positions.find(
    (p: { locationId: string }) => p.locationId === 'WH1',
  );
const events = async (detailType: string, asnId: string) =>
  (await rt.api('GET', `/local/events?detailType=${detailType}`)).body.items
    .map((e: { detail: { data: Record<string, unknown>; metadata: { eventId: string } } }) => e.detail)
    .filter((d: { data: { asnId: string } }) => d.data.asnId === asnId);

describe('receiving at the dock', () => {
  it('receives exactly what the ASN announced into RECEIVING, by barcode or SKU code', async () => {
    await poWithAsn('R1', [
      { sku: 'RA', quantity: 10, unitCost: '2.50' },
      { sku: 'RB', quantity: 5, unitCost: '1' },
    ]);
    const a = await scan('ASN-R1', { code: '4006381333931', quantity: 10, scanId: 'r1-a' });
    expect(a.status, JSON.stringify(a.body)).toBe(200);
    expect(a.body).toEqual({
      lines: [
        { sku: 'RA', expected: 10, received: 10 },
        { sku: 'RB', expected: 5, received: 0 },
      ],
    });
    const b = await scan('ASN-R1', { code: 'RB', quantity: 5 });
    expect(b.body.lines[1]).toEqual({ sku: 'RB', expected: 5, received: 5 });

    expect(await position('RA')).toMatchObject({
      onHand: 10,
      available: 10,
      damaged: 0,
      bins: [{ binId: 'RECEIVING', quantity: 10 }],
    });
    const read = await rt.api('GET', '/api/purchase-orders/PO-R1');
    expect(read.body.lines.map((l: { received: number }) => l.received)).toEqual([10, 5]);

    const closed = await close('ASN-R1');
    expect(closed.status, JSON.stringify(closed.body)).toBe(200);
    expect(closed.body).toEqual({ exceptions: [] });
    expect(await poStatus('PO-R1')).toBe('received');

    const received = await events('GoodsReceived', 'ASN-R1');
    expect(received.map((d: { data: object }) => d.data)).toContainEqual(
      expect.objectContaining({
        sku: 'RA',
        quantity: 10,
        condition: 'good',
        currency: 'USD',
        unitCostMinor: 250,
      }),
    );
    expect(received).toHaveLength(2);
  });

  it('refuses over-receipt beyond the tolerance, accepts it within, and reports over and short on close', async () => {
    await poWithAsn('R2', [
      { sku: 'RC', quantity: 100, unitCost: '1' },
      { sku: 'RD', quantity: 20, unitCost: '1' },
    ]);
    const beyond = await scan('ASN-R2', { code: 'RC', quantity: 106 });
    expect(beyond.status).toBe(409);
    expect(beyond.body.error).toMatchObject({ code: 'OVER_RECEIPT', details: { sku: 'RC', max: 105 } });
    expect(await position('RC')).toBeUndefined();

    const within = await scan('ASN-R2', { code: 'RC', quantity: 104 });
    expect(within.status, JSON.stringify(within.body)).toBe(200);
    expect(within.body.lines[0]).toEqual({ sku: 'RC', expected: 100, received: 104 });
    const more = await scan('ASN-R2', { code: 'RC', quantity: 2 });
    expect(more.body.error.code).toBe('OVER_RECEIPT');
    expect((await scan('ASN-R2', { code: 'RD', quantity: 15 })).status).toBe(200);

    const closed = await close('ASN-R2');
    expect(closed.body).toEqual({
      exceptions: [
        { type: 'over', sku: 'RC', quantity: 4 },
        { type: 'short', sku: 'RD', quantity: 5 },
      ],
    });
    expect(await poStatus('PO-R2')).toBe('partially_received');
    expect((await close('ASN-R2')).body).toEqual(closed.body);

    const after = await scan('ASN-R2', { code: 'RD', quantity: 1 });
    expect(after.status).toBe(409);
    expect(after.body.error.code).toBe('RECEIPT_CLOSED');
    expect((await position('RD')).onHand).toBe(15);

    const raised = await events('ReceivingExceptionRaised', 'ASN-R2');
    expect(new Set(raised.map((d: { metadata: { eventId: string } }) => d.metadata.eventId)).size).toBe(2);
  });

  it('refuses a SKU that is not on the ASN and records it as a wrong-SKU exception', async () => {
    await poWithAsn('R3', [{ sku: 'RE', quantity: 10, unitCost: '1' }]);
    const wrong = await scan('ASN-R3', { code: 'RX', quantity: 3 });
    expect(wrong.status).toBe(409);
    expect(wrong.body.error).toMatchObject({ code: 'NOT_ON_ASN', details: { sku: 'RX' } });
    expect(await position('RX')).toBeUndefined();
    expect((await events('ReceivingExceptionRaised', 'ASN-R3')).map((d: { data: object }) => d.data)).toEqual(
      [expect.objectContaining({ type: 'wrong_sku', sku: 'RX', quantity: 3 })],
    );
    expect((await scan('ASN-R3', { code: 'RE', quantity: 10 })).status).toBe(200);

    const closed = await close('ASN-R3');
    expect(closed.body).toEqual({ exceptions: [{ type: 'wrong_sku', sku: 'RX', quantity: 3 }] });
    expect(await poStatus('PO-R3')).toBe('received');
  });

  it('puts damaged units in the damaged bucket and counts a retried scan once', async () => {
    await poWithAsn('R4', [{ sku: 'RF', quantity: 10, unitCost: '3' }]);
    const damaged = await scan('ASN-R4', { code: 'RF', quantity: 2, condition: 'damaged', scanId: 'r4-d' });
    expect(damaged.body.lines).toEqual([{ sku: 'RF', expected: 10, received: 2 }]);
    expect(await position('RF')).toMatchObject({ onHand: 2, damaged: 2, available: 0 });

    const good = { code: 'RF', quantity: 8, scanId: 'r4-g' };
    expect((await scan('ASN-R4', good)).body.lines[0].received).toBe(10);
    const retried = await scan('ASN-R4', good);
    expect(retried.status).toBe(200);
    expect(retried.body.lines[0].received).toBe(10);
    expect(await position('RF')).toMatchObject({ onHand: 10, damaged: 2, available: 8 });
    const reused = await scan('ASN-R4', { ...good, quantity: 1 });
    expect(reused.body.error.code).toBe('SCAN_CONFLICT');

    expect((await close('ASN-R4')).body).toEqual({
      exceptions: [{ type: 'damaged', sku: 'RF', quantity: 2 }],
    });
    expect(await poStatus('PO-R4')).toBe('received');
  });

  it('lets the floor scan and close, not finance', async () => {
    const denied = await rt.api('POST', '/api/receipts/ASN-R1/scans', {
      role: 'finance',
      body: { code: 'RA' },
    });
    expect(denied.status).toBe(403);
    expect((await rt.api('POST', '/api/receipts/NOPE/close', { role: 'warehouse-associate' })).status).toBe(
      404,
    );
  });
});
