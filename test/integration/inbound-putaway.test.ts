import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';

/** Directed putaway through the local runtime: tasks from receiving scans, suggestion, confirm. */
let rt: TestRuntime;

beforeAll(async () => {
  rt = await startTestRuntime();
  for (const loc of ['PW1', 'PW2', 'PW3', 'PW4'])
    await rt.api('PUT', `/api/locations/${loc}`, { body: { name: loc, type: 'warehouse' } });
  for (const sku of ['PA', 'PB', 'PC', 'PD', 'PE'])
    await rt.api('PUT', `/api/skus/${sku}`, { body: { name: sku } });
  const supplier = await rt.api('PUT', '/api/suppliers/ACME', {
    body: { name: 'Acme', leadTimeDays: 7, currency: 'USD' },
  });
  expect(supplier.status, JSON.stringify(supplier.body)).toBe(201);
}, 120_000);
afterAll(() => rt?.stop());

async function bin(locationId: string, binId: string, body: Record<string, unknown>) {
  const res = await rt.api('PUT', `/api/locations/${locationId}/bins/${binId}`, { body, role: 'supervisor' });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
}
async function stockInBin(locationId: string, sku: string, binId: string, quantity: number) {
  const res = await rt.api('POST', '/api/inventory/receipts', {
    body: {
      sku,
      locationId,
      quantity,
      reason: 'opening stock',
      idempotencyKey: `open-${sku}-${binId}`,
      binId,
    },
  });
  expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
}
async function poWithAsn(id: string, locationId: string, lines: { sku: string; quantity: number }[]) {
  const po = await rt.api('POST', '/api/purchase-orders', {
    body: {
      poId: `PO-${id}`,
      supplierId: 'ACME',
      locationId,
      expectedAt: '2026-12-20',
      lines: lines.map((l) => ({ ...l, unitCost: '1' })),
    },
  });
  expect(po.status, JSON.stringify(po.body)).toBe(201);
  const asn = await rt.api('POST', '/api/asns', {
    role: 'supervisor',
    body: { asnId: `ASN-${id}`, poId: `PO-${id}`, lines },
  });
  expect(asn.status, JSON.stringify(asn.body)).toBe(201);
}
async function scan(asnId: string, body: Record<string, unknown>) {
  const res = await rt.api('POST', `/api/receipts/${asnId}/scans`, { role: 'warehouse-associate', body });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}
const tasks = async (locationId: string) => {
  const res = await rt.api('GET', `/api/putaway-tasks?locationId=${locationId}`, {
    role: 'warehouse-associate',
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.items as { taskId: string; sku: string; quantity: number; suggestedBinId: string | null }[];
};
const confirm = (taskId: string, binCode: string) =>
  rt.api('POST', `/api/putaway-tasks/${taskId}/confirm`, { role: 'warehouse-associate', body: { binCode } });
/** Each bin's contents at a location, by binId. */
const contents = async (locationId: string) =>
  Object.fromEntries(
    (await rt.api('GET', `/api/locations/${locationId}/bins`)).body.items.map(
      (b: { binId: string; contents: unknown[] }) => [b.binId, b.contents],
    ),
  );
const events = async (detailType: string) =>
  (await rt.api('GET', `/local/events?detailType=${detailType}`)).body.items.map(
    (e: { detail: { data: Record<string, unknown> } }) => e.detail.data,
  );

describe('directed putaway', () => {
  it('makes a task per good scan, consolidates to the bin holding the SKU, moves RECEIVING → bin once', async () => {
    await bin('PW1', 'A-01', { zone: 'A', walkOrder: 10, type: 'pick', capacity: 100 });
    await bin('PW1', 'B-01', { zone: 'B', walkOrder: 20, type: 'bulk', capacity: 100, barcode: 'LBL-B01' });
    await stockInBin('PW1', 'PA', 'B-01', 5);
    await poWithAsn('P1', 'PW1', [
      { sku: 'PA', quantity: 10 },
      { sku: 'PB', quantity: 4 },
    ]);
    await scan('ASN-P1', { code: 'PA', quantity: 10, scanId: 'p1-a' });
    await scan('ASN-P1', { code: 'PA', quantity: 10, scanId: 'p1-a' });
    await scan('ASN-P1', { code: 'PB', quantity: 3, scanId: 'p1-b' });
    await scan('ASN-P1', { code: 'PB', quantity: 1, condition: 'damaged', scanId: 'p1-d' });

    const open = await tasks('PW1');
    // One task per good scan (the retried scan made none more, the damaged one none); PA joins
    // its SKU in B-01 although A-01 comes first in the walk, PB goes to the first bin with room.
    expect(open.map(({ sku, quantity, suggestedBinId }) => ({ sku, quantity, suggestedBinId }))).toEqual([
      { sku: 'PA', quantity: 10, suggestedBinId: 'B-01' },
      { sku: 'PB', quantity: 3, suggestedBinId: 'A-01' },
    ]);
    const taskA = open[0]?.taskId as string;

    const done = await confirm(taskA, 'LBL-B01');
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body).toMatchObject({
      taskId: taskA,
      status: 'done',
      binId: 'B-01',
      sku: 'PA',
      quantity: 10,
    });
    const bins = await contents('PW1');
    expect(bins['B-01']).toEqual([{ sku: 'PA', quantity: 15 }]);
    // PB's 3 good units wait for their task; the damaged one stays on the dock (no task).
    expect(bins.RECEIVING).toEqual([{ sku: 'PB', quantity: 4 }]);

    const again = await confirm(taskA, 'A-01');
    expect(again.status).toBe(200);
    expect(again.body).toEqual(done.body);
    expect(await contents('PW1')).toEqual(bins);
    expect((await tasks('PW1')).map((t) => t.sku)).toEqual(['PB']);

    // Dock-to-stock: from the receipt's first scan (the first GoodsReceived) to the putaway.
    const firstScanAt = (await events('GoodsReceived')).find((d: { scanId: string }) => d.scanId === 'p1-a')
      .receivedAt as string;
    const seconds = Math.round((Date.parse(done.body.putAwayAt) - Date.parse(firstScanAt)) / 1000);
    expect(done.body.dockToStockSeconds).toBe(seconds);
    // The repeat re-sends the identical event (same id), so a consumer sees one putaway.
    const completed = (await rt.api('GET', '/local/events?detailType=PutawayCompleted')).body.items
      .map((e: { detail: { data: { taskId: string }; metadata: { eventId: string } } }) => e.detail)
      .filter((d: { data: { taskId: string } }) => d.data.taskId === taskA);
    expect(new Set(completed.map((d: { metadata: { eventId: string } }) => d.metadata.eventId)).size).toBe(1);
    expect(completed[0].data).toMatchObject({
      sku: 'PA',
      quantity: 10,
      binId: 'B-01',
      dockToStockSeconds: seconds,
    });
  });

  it('honours capacity: suggests past a full bin and refuses one that would overflow, moving nothing', async () => {
    await bin('PW2', 'C-01', { zone: 'C', walkOrder: 10, type: 'pick', capacity: 5 });
    await bin('PW2', 'D-01', { zone: 'D', walkOrder: 20, type: 'bulk', capacity: 50 });
    await stockInBin('PW2', 'PC', 'C-01', 4);
    await poWithAsn('P2', 'PW2', [{ sku: 'PC', quantity: 3 }]);
    await scan('ASN-P2', { code: 'PC', quantity: 3, scanId: 'p2-c' });

    const [task] = await tasks('PW2');
    expect(task).toMatchObject({ sku: 'PC', quantity: 3, suggestedBinId: 'D-01' });
    const before = await contents('PW2');
    expect(before['C-01']).toEqual([{ sku: 'PC', quantity: 4 }]);
    expect(before.RECEIVING).toEqual([{ sku: 'PC', quantity: 3 }]);

    const full = await confirm(task?.taskId as string, 'C-01');
    expect(full.status).toBe(409);
    expect(full.body.error).toMatchObject({
      code: 'BIN_FULL',
      details: { binId: 'C-01', capacity: 5, holds: 4, quantity: 3 },
    });
    for (const [code, error] of [
      ['RECEIVING', 'NOT_A_STORAGE_BIN'],
      ['STAGING', 'NOT_A_STORAGE_BIN'],
      ['NO-SUCH-BIN', 'UNKNOWN_BIN'],
    ]) {
      const refused = await confirm(task?.taskId as string, code as string);
      expect(refused.status).toBe(409);
      expect(refused.body.error.code).toBe(error);
    }
    expect(await contents('PW2')).toEqual(before);
    expect((await tasks('PW2')).map((t) => t.taskId)).toEqual([task?.taskId]);

    const ok = await confirm(task?.taskId as string, 'D-01');
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    const after = await contents('PW2');
    expect(after['D-01']).toEqual([{ sku: 'PC', quantity: 3 }]);
    expect(after.RECEIVING).toEqual([]);
    expect(await tasks('PW2')).toEqual([]);
  });

  it('never fills a bin beyond capacity when confirms for different tasks race into it', async () => {
    // Room for 10 units; five tasks of 3 units (two SKUs) all aim at it at once: only three fit.
    await bin('PW3', 'E-01', { zone: 'E', walkOrder: 10, type: 'pick', capacity: 10 });
    await poWithAsn('P3', 'PW3', [
      { sku: 'PD', quantity: 9 },
      { sku: 'PE', quantity: 6 },
    ]);
    for (const [i, sku] of ['PD', 'PE', 'PD', 'PE', 'PD'].entries())
      await scan('ASN-P3', { code: sku, quantity: 3, scanId: `p3-${i}` });
    const open = await tasks('PW3');
    expect(open).toHaveLength(5);

    const first = await Promise.all(open.map((t) => confirm(t.taskId, 'E-01')));
    const answers = [...first];
    // A confirm kept waiting past its attempts is told BIN_BUSY with nothing moved: the associate
    // confirms again, and then the bin's real state decides.
    for (const [i, res] of first.entries()) {
      expect([200, 409], JSON.stringify(res.body)).toContain(res.status);
      if (res.body.error?.code === 'BIN_BUSY') answers[i] = await confirm(open[i]?.taskId as string, 'E-01');
    }
    const codes = answers.map((r) => (r.status === 200 ? 'done' : r.body.error.code)).sort();
    expect(codes).toEqual(['BIN_FULL', 'BIN_FULL', 'done', 'done', 'done']);

    const held = (await contents('PW3')) as Record<string, { sku: string; quantity: number }[]>;
    const units = (b: string) => (held[b] ?? []).reduce((n, c) => n + c.quantity, 0);
    expect(units('E-01')).toBe(9);
    // The refused tasks' units are still on the dock, and their tasks still open.
    expect(units('RECEIVING')).toBe(6);
    const refused = open.filter((_, i) => answers[i]?.status === 409).map((t) => t.taskId);
    expect((await tasks('PW3')).map((t) => t.taskId).sort()).toEqual(refused.sort());
  });

  it("suggests the zone set for the SKU's ABC class after consolidation, before earlier bins", async () => {
    const put = await rt.api('PUT', '/api/count-settings', {
      role: 'supervisor',
      body: { putawayZones: { A: 'FAST', C: 'SLOW' } },
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect((await rt.api('GET', '/api/count-settings')).body.putawayZones).toEqual({ A: 'FAST', C: 'SLOW' });
    await bin('PW4', 'F-01', { zone: 'FAST', walkOrder: 10, type: 'pick', capacity: 100 });
    await bin('PW4', 'S-01', { zone: 'SLOW', walkOrder: 50, type: 'bulk', capacity: 100 });
    await stockInBin('PW4', 'PA', 'F-01', 1);
    await poWithAsn('P4', 'PW4', [
      { sku: 'PA', quantity: 2 },
      { sku: 'PB', quantity: 2 },
    ]);
    await scan('ASN-P4', { code: 'PA', quantity: 2, scanId: 'p4-a' });
    await scan('ASN-P4', { code: 'PB', quantity: 2, scanId: 'p4-b' });
    // Nothing has shipped, so both SKUs are class C: PB goes to the SLOW zone past F-01, while
    // PA joins its own units in F-01 (consolidation comes first).
    expect((await tasks('PW4')).map(({ sku, suggestedBinId }) => ({ sku, suggestedBinId }))).toEqual([
      { sku: 'PA', suggestedBinId: 'F-01' },
      { sku: 'PB', suggestedBinId: 'S-01' },
    ]);
  });

  it('lets the floor put away, not finance; an unknown task is 404', async () => {
    const denied = await rt.api('GET', '/api/putaway-tasks?locationId=PW1', { role: 'finance' });
    expect(denied.status).toBe(403);
    const unknown = await confirm('pt-none', 'A-01');
    expect(unknown.status).toBe(404);
  });
});
