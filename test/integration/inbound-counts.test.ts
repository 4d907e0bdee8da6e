import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';

/** Cycle counts through the local runtime: blind tasks, tolerance, the approval queue, ABC, accuracy. */
let rt: TestRuntime;
const LOC = 'CNT1';

beforeAll(async () => {
  rt = await startTestRuntime();
  await rt.api('PUT', `/api/locations/${LOC}`, { body: { name: LOC, type: 'warehouse' } });
  for (const sku of ['KA', 'KB', 'KC', 'KD', 'KE', 'KF'])
    await rt.api('PUT', `/api/skus/${sku}`, { body: { name: sku } });
  for (const [binId, walkOrder] of [
    ['B-01', 10],
    ['B-02', 20],
    ['B-03', 30],
    ['B-04', 40],
    ['B-05', 50],
  ] as const) {
    const res = await rt.api('PUT', `/api/locations/${LOC}/bins/${binId}`, {
      role: 'supervisor',
      body: { zone: 'B', walkOrder, type: 'pick', barcode: `LBL-${binId}` },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  }
  await stock('KA', 'B-01', 100);
  await stock('KB', 'B-01', 10);
  await stock('KC', 'B-02', 5);
  await stock('KB', 'B-03', 20);
  await stock('KE', 'B-04', 3);
  await stock('KF', 'B-05', 7);
}, 120_000);
afterAll(() => rt?.stop());

async function stock(sku: string, binId: string, quantity: number) {
  const res = await rt.api('POST', '/api/inventory/receipts', {
    body: {
      sku,
      locationId: LOC,
      quantity,
      reason: 'opening stock',
      idempotencyKey: `open-${sku}-${binId}`,
      binId,
    },
  });
  expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
}
/**
 * A count task as the counter sees it, its random ids and clock times masked: a "100" inside a
 * task id is not a quantity.
 */
function counterText(body: unknown): string {
  return JSON.stringify(body)
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<uuid>')
    .replace(/\d{4}-\d{2}-\d{2}T[\d:.]+Z/g, '<time>');
}

/** What a bin holds, by SKU. */
async function bin(binId: string): Promise<Record<string, number>> {
  const res = await rt.api('GET', `/api/locations/${LOC}/bins`);
  const found = res.body.items.find((b: { binId: string }) => b.binId === binId);
  return Object.fromEntries(
    (found?.contents ?? []).map((c: { sku: string; quantity: number }) => [c.sku, c.quantity]),
  );
}
async function onHand(sku: string): Promise<number> {
  const res = await rt.api('GET', `/api/inventory/${sku}`);
  return res.body.positions.find((p: { locationId: string }) => p.locationId === LOC)?.onHand ?? 0;
}
async function countBin(binId: string): Promise<string> {
  const res = await rt.api('POST', '/api/cycle-counts', {
    role: 'inventory-controller',
    body: { locationId: LOC, binIds: [binId] },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.tasks[0].taskId;
}
const submit = (taskId: string, counts: { sku: string; quantity: number }[]) =>
  rt.api('POST', `/api/count-tasks/${taskId}/submit`, { role: 'warehouse-associate', body: { counts } });
const variances = async (status: string) =>
  (await rt.api('GET', `/api/count-variances?status=${status}`, { role: 'supervisor' })).body.items as {
    varianceId: string;
    taskId: string;
    sku: string;
    expected: number;
    counted: number;
    delta: number;
    status: string;
    blocked?: { code: string };
  }[];
const posted = () =>
  rt.bus
    .events({ detailType: 'CountVariancePosted' })
    .map((e) => e.detail as { metadata: { eventId: string }; data: Record<string, unknown> });
const decide = (
  id: string,
  decision: 'approve' | 'reject',
  body: unknown,
  role: 'supervisor' | 'warehouse-associate' = 'supervisor',
) => rt.api('POST', `/api/count-variances/${id}/${decision}`, { role, body });

/** Puts another context's event on the bus as its publisher would. */
async function publish(source: string, detailType: string, data: unknown) {
  const detail = {
    metadata: {
      eventId: randomUUID(),
      occurredAt: new Date().toISOString(),
      version: 1,
      correlationId: 'test',
    },
    data,
  };
  const out = await rt.bus.putEvents([
    { Source: source, DetailType: detailType, Detail: JSON.stringify(detail) },
  ]);
  expect(out.FailedEntryCount).toBe(0);
  await rt.settle();
}

describe('cycle counts', () => {
  it('never shows the counter the expected quantity, and one open task per bin', async () => {
    const first = await rt.api('POST', '/api/cycle-counts', {
      role: 'inventory-controller',
      body: { locationId: LOC, binIds: ['B-01'] },
    });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    const taskId = first.body.tasks[0].taskId;
    // A retry creates nothing new: the bin's open task is answered.
    const again = await rt.api('POST', '/api/cycle-counts', {
      role: 'inventory-controller',
      body: { locationId: LOC, binIds: ['B-01'] },
    });
    expect(again.status).toBe(200);
    expect(again.body.tasks).toEqual([{ taskId, binId: 'B-01', created: false }]);

    const one = await rt.api('GET', `/api/count-tasks/${taskId}`, { role: 'warehouse-associate' });
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({
      taskId,
      locationId: LOC,
      binId: 'B-01',
      binCode: 'LBL-B-01',
      status: 'open',
    });
    const list = await rt.api('GET', `/api/count-tasks?locationId=${LOC}`, { role: 'warehouse-associate' });
    expect(list.body.items.map((t: { taskId: string }) => t.taskId)).toContain(taskId);
    for (const body of [one.body, ...list.body.items]) {
      const text = counterText(body);
      expect(text).not.toMatch(/expected|contents|delta|"quantity"/);
      // Neither the SKUs the bin holds nor their units (100 KA, 10 KB) appear.
      expect(text).not.toMatch(/KA|KB|100/);
    }

    // Within tolerance (±2 units): KA one short, KD found though not expected; both post at once.
    const done = await submit(taskId, [
      { sku: 'KA', quantity: 99 },
      { sku: 'KB', quantity: 10 },
      { sku: 'KD', quantity: 1 },
    ]);
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body.status).toBe('submitted');
    expect(JSON.stringify(done.body)).not.toMatch(/expected|delta/);
    const after = await rt.api('GET', `/api/count-tasks/${taskId}`, { role: 'warehouse-associate' });
    expect(counterText(after.body)).not.toMatch(/expected|delta|100/);
    expect(await bin('B-01')).toEqual({ KA: 99, KB: 10, KD: 1 });
    expect(await onHand('KA')).toBe(99);
    const events = posted().filter((e) => e.data.taskId === taskId);
    expect(
      events.map((e) => e.data).sort((a, b) => String(a.sku).localeCompare(String(b.sku))),
    ).toMatchObject([
      { sku: 'KA', locationId: LOC, binId: 'B-01', quantityDelta: -1, auto: true },
      { sku: 'KD', locationId: LOC, binId: 'B-01', quantityDelta: 1, auto: true },
    ]);
    // The ledger follows from the table stream: wait for the consumers to finish.
    await rt.settle();
    const ledger = await rt.api('GET', `/api/inventory/KA/ledger?locationId=${LOC}`);
    expect(ledger.body.items.some((m: { reason: string }) => m.reason.includes(taskId))).toBe(true);

    // The same submit again changes nothing; other counts for it are refused.
    const retry = await submit(taskId, [
      { sku: 'KD', quantity: 1 },
      { sku: 'KB', quantity: 10 },
      { sku: 'KA', quantity: 99 },
    ]);
    expect(retry.status).toBe(200);
    expect(await bin('B-01')).toEqual({ KA: 99, KB: 10, KD: 1 });
    expect(
      new Set(
        posted()
          .filter((e) => e.data.taskId === taskId)
          .map((e) => e.metadata.eventId),
      ).size,
    ).toBe(2);
    const other = await submit(taskId, [{ sku: 'KA', quantity: 98 }]);
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('COUNT_ALREADY_SUBMITTED');
  });

  it('holds a variance beyond tolerance for a supervisor, who approves it once', async () => {
    const taskId = await countBin('B-02');
    const res = await submit(taskId, [{ sku: 'KC', quantity: 0 }]);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(await bin('B-02')).toEqual({ KC: 5 });
    const [v] = (await variances('pending')).filter((x) => x.taskId === taskId);
    expect(v).toMatchObject({ sku: 'KC', expected: 5, counted: 0, delta: -5, status: 'pending' });
    if (!v) throw new Error('no pending variance');
    expect((await rt.api('GET', '/api/count-variances', { role: 'warehouse-associate' })).status).toBe(403);

    expect((await decide(v.varianceId, 'approve', { reason: 'ok' }, 'warehouse-associate')).status).toBe(403);
    const noReason = await decide(v.varianceId, 'approve', {});
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.code).toBe('VALIDATION_FAILED');
    expect(await bin('B-02')).toEqual({ KC: 5 });

    const ok = await decide(v.varianceId, 'approve', { reason: 'recount confirmed: box damaged and binned' });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body).toMatchObject({ status: 'posted', decidedBy: expect.any(String) });
    expect(ok.body).not.toHaveProperty('entity');
    expect(await bin('B-02')).toEqual({});
    expect(await onHand('KC')).toBe(0);
    const twice = await decide(v.varianceId, 'approve', { reason: 'again' });
    expect(twice.status).toBe(200);
    expect(twice.body.reason).toBe('recount confirmed: box damaged and binned');
    expect(await onHand('KC')).toBe(0);
    const events = posted().filter((e) => e.data.varianceId === v.varianceId);
    expect(new Set(events.map((e) => e.metadata.eventId)).size).toBe(1);
    expect(events[0]?.data).toMatchObject({
      sku: 'KC',
      binId: 'B-02',
      quantityDelta: -5,
      auto: false,
      reason: 'recount confirmed: box damaged and binned',
    });
    const reject = await decide(v.varianceId, 'reject', { reason: 'too late' });
    expect(reject.status).toBe(409);
    expect(reject.body.error.code).toBe('VARIANCE_DECIDED');
    expect((await variances('pending')).some((x) => x.varianceId === v.varianceId)).toBe(false);
  });

  it('a rejected variance changes nothing', async () => {
    const taskId = await countBin('B-03');
    await submit(taskId, [{ sku: 'KB', quantity: 30 }]);
    const [v] = (await variances('pending')).filter((x) => x.taskId === taskId);
    if (!v) throw new Error('no pending variance');
    const before = await onHand('KB');
    const rejected = await decide(v.varianceId, 'reject', { reason: 'miscounted, see recount' });
    expect(rejected.status, JSON.stringify(rejected.body)).toBe(200);
    expect(rejected.body).toMatchObject({ status: 'rejected', reason: 'miscounted, see recount' });
    expect((await decide(v.varianceId, 'reject', { reason: 'again' })).body.reason).toBe(
      'miscounted, see recount',
    );
    const approve = await decide(v.varianceId, 'approve', { reason: 'changed my mind' });
    expect(approve.status).toBe(409);
    expect(approve.body.error.code).toBe('VARIANCE_DECIDED');
    expect(await bin('B-03')).toEqual({ KB: 20 });
    expect(await onHand('KB')).toBe(before);
    expect(posted().some((e) => e.data.varianceId === v.varianceId)).toBe(false);
    expect((await variances('rejected')).map((x) => x.varianceId)).toContain(v.varianceId);
  });

  it('never counts reserved units away: such a loss waits in the queue', async () => {
    const reserve = await rt.api('POST', '/api/reservations', {
      body: { reservationId: 'res-count-ke', lines: [{ sku: 'KE', locationId: LOC, quantity: 3 }] },
    });
    expect(reserve.status, JSON.stringify(reserve.body)).toBe(201);
    const taskId = await countBin('B-04');
    // One short is within tolerance, but all 3 are reserved: inventory refuses, the variance waits.
    expect((await submit(taskId, [{ sku: 'KE', quantity: 2 }])).status).toBe(200);
    const [v] = (await variances('pending')).filter((x) => x.taskId === taskId);
    expect(v).toMatchObject({ sku: 'KE', delta: -1, blocked: { code: 'INSUFFICIENT_STOCK' } });
    if (!v) throw new Error('no pending variance');
    const approve = await decide(v.varianceId, 'approve', { reason: 'confirmed' });
    expect(approve.status).toBe(409);
    expect(approve.body.error.code).toBe('INSUFFICIENT_STOCK');
    // The refused approval is in the audit trail as rejected, not as a change.
    const audit = await rt.api(
      'GET',
      `/api/audit?action=${encodeURIComponent('POST /api/count-variances/{id}/approve')}`,
    );
    expect(
      audit.body.items.filter((e: { target: { id: string } }) => e.target.id === v.varianceId),
    ).toMatchObject([{ outcome: 'rejected', status: 409 }]);
    expect((await variances('pending')).map((x) => x.varianceId)).toContain(v.varianceId);
    expect(await bin('B-04')).toEqual({ KE: 3 });
    // Once the hold is gone, the approval posts.
    expect((await rt.api('DELETE', '/api/reservations/res-count-ke')).status).toBeLessThan(300);
    expect((await decide(v.varianceId, 'approve', { reason: 'confirmed' })).body.status).toBe('posted');
    expect(await bin('B-04')).toEqual({ KE: 2 });
  });

  it('classes SKUs by value velocity, counts a class, raises counts after short picks and mismatches, and reports accuracy', async () => {
    const put = await rt.api('PUT', '/api/count-settings', {
      role: 'supervisor',
      body: { abcCutoffs: { a: 70, b: 20, c: 10 }, tolerance: { units: 1, percent: 0 } },
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect((await rt.api('GET', '/api/count-settings', { role: 'finance' })).body).toEqual({
      abcCutoffs: { a: 70, b: 20, c: 10 },
      tolerance: { units: 1, percent: 0 },
      intervalDays: { A: 30, B: 90, C: 365 },
    });
    const shippedAt = new Date().toISOString();
    for (const [sku, unitCostMinor] of [
      ['KF', 1000],
      ['KB', 100],
    ] as const)
      await publish('qm.inbound', 'GoodsReceived', {
        asnId: 'A1',
        poId: 'P1',
        scanId: `s-${sku}`,
        locationId: LOC,
        sku,
        quantity: 1,
        condition: 'good',
        currency: 'USD',
        unitCostMinor,
        receivedAt: shippedAt,
      });
    const shipment = {
      shipmentId: 'sh-1',
      fulfillmentId: 'f-1',
      orderId: 'o-1',
      channelId: 'web',
      externalId: 'x-1',
      locationId: LOC,
      reservationId: 'r-1',
      lines: [
        { lineId: '1', sku: 'KF', quantity: 10 },
        { lineId: '2', sku: 'KB', quantity: 5 },
      ],
      carrier: 'ups',
      service: 'ground',
      trackingNumber: 'T1',
      packages: 1,
      shippedAt,
    };
    await publish('qm.fulfillment', 'ShipmentConfirmed', shipment);
    const abc = await rt.api('GET', '/api/abc-classes', { role: 'inventory-controller' });
    expect(abc.status).toBe(200);
    // KF 10 × 10.00 = 10,000 of 10,500 → A; KB 5 × 1.00 → what is left: C with cut-offs 70/20/10.
    expect(abc.body.items).toMatchObject([
      { sku: 'KF', class: 'A', shippedUnits: 10, value: 10_000 },
      { sku: 'KB', class: 'C', shippedUnits: 5, value: 500 },
    ]);

    const byClass = await rt.api('POST', '/api/cycle-counts', {
      role: 'supervisor',
      body: { locationId: LOC, class: 'A' },
    });
    expect(byClass.status, JSON.stringify(byClass.body)).toBe(201);
    expect(byClass.body.tasks).toMatchObject([{ binId: 'B-05', created: true }]);
    await submit(byClass.body.tasks[0].taskId, [{ sku: 'KF', quantity: 7 }]);

    await publish('qm.fulfillment', 'PickShorted', {
      fulfillmentId: 'f-2',
      orderId: 'o-2',
      channelId: 'web',
      locationId: LOC,
      reservationId: 'r-2',
      taskId: 'pt-1',
      binId: 'B-03',
      lines: [{ lineId: '1', sku: 'KB', quantity: 1 }],
      reason: 'not found',
      at: shippedAt,
      countRequested: true,
    });
    // The invariant checker doubting KB here: each bin holding it is counted (B-03's open task stays).
    await publish('qm.inventory', 'InventoryMismatchDetected', {
      sku: 'KB',
      locationId: LOC,
      shard: 0,
      invariant: 5,
      problem: 'bins do not add up to onHand',
      evidence: {},
      checkedAt: shippedAt,
    });
    const open = await rt.api('GET', `/api/count-tasks?locationId=${LOC}`, { role: 'warehouse-associate' });
    expect(open.body.items).toMatchObject([
      { binId: 'B-01', origin: 'mismatch', status: 'open' },
      { binId: 'B-03', origin: 'short_pick', status: 'open' },
    ]);

    const accuracy = await rt.api('GET', `/api/count-accuracy?locationId=${LOC}`, { role: 'finance' });
    expect(accuracy.status).toBe(200);
    // B-01: KA −1, KB, KD +1 (tolerance was ±2 then); B-02 KC −5; B-03 KB +10; B-04 KE −1; B-05 KF.
    expect(accuracy.body).toMatchObject({ counted: 7, withinTolerance: 5, exact: 2 });
    expect(accuracy.body.byClass.A).toMatchObject({ counted: 1, withinTolerance: 1, accuracy: 1 });
    expect(accuracy.body.byClass.C).toMatchObject({ counted: 6, withinTolerance: 4 });
  });

  it('refuses bad input with a clear error and nothing written', async () => {
    const both = await rt.api('POST', '/api/cycle-counts', {
      body: { locationId: LOC, binIds: ['B-01'], class: 'A' },
    });
    expect(both.status).toBe(400);
    expect(both.body.error.code).toBe('VALIDATION_FAILED');
    const unknownBin = await rt.api('POST', '/api/cycle-counts', {
      body: { locationId: LOC, binIds: ['NOPE'] },
    });
    expect(unknownBin.status).toBe(422);
    expect(unknownBin.body.error.code).toBe('UNKNOWN_BIN');
    const taskId = await countBin('B-04');
    const unknownSku = await submit(taskId, [{ sku: 'NOT-A-SKU', quantity: 1 }]);
    expect(unknownSku.status).toBe(422);
    expect(unknownSku.body.error.code).toBe('UNKNOWN_SKU');
    const twice = await submit(taskId, [
      { sku: 'KA', quantity: 1 },
      { sku: 'KA', quantity: 2 },
    ]);
    expect(twice.status).toBe(400);
    expect(
      (await rt.api('GET', `/api/count-tasks/${taskId}`, { role: 'warehouse-associate' })).body.status,
    ).toBe('open');
    expect((await rt.api('GET', '/api/count-tasks/ct-missing', { role: 'warehouse-associate' })).status).toBe(
      404,
    );
  });
});
