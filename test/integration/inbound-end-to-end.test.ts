import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';
import {
  expectStockInvariants,
  getOrder,
  putChannel,
  putLocation,
  putSku,
  sendOrder,
  waitForStatus,
} from '../workflows/order-release-helpers.ts';

/**
 * Inbound end to end on the local runtime: orders that stock cannot cover are backordered with
 * promises from what inbound expects (open POs, transfers in transit, else supplier lead time);
 * a PO of 500 units across 5 SKUs is received scan by scan against its ASN and put away; the
 * backorders are released by the arriving stock; the receipt reports dock-to-stock.
 */
let rt: TestRuntime;
const DAY = 86_400_000;
const SKUS = ['E1', 'E2', 'E3', 'E4', 'E5'];
const day = (offset: number) => new Date(Date.now() + offset * DAY).toISOString().slice(0, 10);
const PO_DAY = day(9);
const TRANSFER_DAY = day(4);

beforeAll(async () => {
  rt = await startTestRuntime();
  await putLocation(rt, 'DOCK', 'warehouse');
  await putLocation(rt, 'SRC', 'warehouse');
  await putChannel(rt, 'web', { locationIds: ['DOCK'] });
  for (const sku of [...SKUS, 'LATE', 'NONE', 'MOVED']) await putSku(rt, sku);
  for (const [i, sku] of SKUS.entries()) {
    const bin = await rt.api('PUT', `/api/locations/DOCK/bins/B-${sku}`, {
      body: { zone: 'B', walkOrder: i + 1, type: 'bulk', capacity: 100 },
    });
    expect(bin.status).toBe(201);
  }
  const supplier = await rt.api('PUT', '/api/suppliers/FAR', {
    body: { name: 'Far Away Ltd', leadTimeDays: 30, currency: 'USD' },
  });
  expect(supplier.status).toBe(201);
  const po = (poId: string, lines: { sku: string; quantity: number }[]) =>
    rt.api('POST', '/api/purchase-orders', {
      body: {
        poId,
        supplierId: 'FAR',
        locationId: 'DOCK',
        expectedAt: PO_DAY,
        lines: lines.map((l) => ({ ...l, unitCost: '2.50' })),
      },
    });
  expect(
    (
      await po(
        'PO-500',
        SKUS.map((sku) => ({ sku, quantity: 100 })),
      )
    ).status,
  ).toBe(201);
  // LATE has a PO too small for the order below: the rest must still be bought (lead time).
  expect((await po('PO-LATE', [{ sku: 'LATE', quantity: 2 }])).status).toBe(201);
  // MOVED is on its way from SRC by transfer.
  const opening = await rt.api('POST', '/api/inventory/receipts', {
    body: {
      sku: 'MOVED',
      locationId: 'SRC',
      quantity: 6,
      reason: 'opening',
      idempotencyKey: 'opening-moved',
    },
  });
  expect(opening.status).toBeLessThan(300);
  const transfer = await rt.api('POST', '/api/transfers', {
    body: {
      transferId: 'T-E2E',
      fromLocationId: 'SRC',
      toLocationId: 'DOCK',
      lines: [{ sku: 'MOVED', quantity: 6 }],
    },
  });
  expect(transfer.status).toBe(201);
  const shipped = await rt.api('POST', '/api/transfers/T-E2E/ship', { body: { expectedAt: TRANSFER_DAY } });
  expect(shipped.status, JSON.stringify(shipped.body)).toBe(200);
}, 120_000);
afterAll(() => rt?.stop());

const promiseOf = async (orderId: string) => {
  const order = await waitForStatus(rt, orderId, 'backordered');
  return order.backorder.lines.map((l: { sku: string; expectedAt: string | null }) => [l.sku, l.expectedAt]);
};

describe('inbound end to end', () => {
  const orders: string[] = [];

  it('promises backorders from open POs and transfers, else the supplier lead time, else no date', async () => {
    for (const [i, sku] of SKUS.entries()) {
      orders.push(
        await sendOrder(rt, 'web', { externalId: `bo-${sku}`, lines: [{ sku, quantity: 10 + i }] }),
      );
    }
    for (const id of orders) expect((await promiseOf(id))[0][1]).toBe(`${PO_DAY}T00:00:00.000Z`);

    expect(
      await promiseOf(
        await sendOrder(rt, 'web', { externalId: 'bo-moved', lines: [{ sku: 'MOVED', quantity: 5 }] }),
      ),
    ).toEqual([['MOVED', `${TRANSFER_DAY}T00:00:00.000Z`]]);
    const before = Date.now();
    const [[, late]] = await promiseOf(
      await sendOrder(rt, 'web', { externalId: 'bo-late', lines: [{ sku: 'LATE', quantity: 5 }] }),
    );
    // Two units come on PO-LATE; the other three must be ordered from FAR (30 days' lead time).
    expect(Date.parse(late)).toBeGreaterThanOrEqual(before + 30 * DAY - 60_000);
    expect(Date.parse(late)).toBeLessThanOrEqual(Date.now() + 30 * DAY);
    expect(
      await promiseOf(
        await sendOrder(rt, 'web', { externalId: 'bo-none', lines: [{ sku: 'NONE', quantity: 1 }] }),
      ),
    ).toEqual([['NONE', null]]);
  });

  it('receives 500 units by scan against the ASN, releases the backorders, puts away, reports dock-to-stock', async () => {
    const asn = await rt.api('POST', '/api/asns', {
      role: 'supervisor',
      body: {
        asnId: 'ASN-500',
        poId: 'PO-500',
        cartons: SKUS.map((sku) => ({ cartonId: `C-${sku}`, lines: [{ sku, quantity: 100 }] })),
      },
    });
    expect(asn.status, JSON.stringify(asn.body)).toBe(201);
    const before = await rt.api('GET', '/api/receipts/ASN-500', { role: 'warehouse-associate' });
    expect(before.body).toMatchObject({ status: 'not_started', dockToStockSeconds: null });

    // Each SKU in two scans of 50 (a handheld scanning a case count), one retried.
    for (const sku of SKUS) {
      for (const part of [1, 2]) {
        const scan = await rt.api('POST', '/api/receipts/ASN-500/scans', {
          role: 'warehouse-associate',
          body: { code: sku, quantity: 50, scanId: `${sku}-${part}` },
        });
        expect(scan.status, JSON.stringify(scan.body)).toBe(200);
      }
    }
    const retried = await rt.api('POST', '/api/receipts/ASN-500/scans', {
      role: 'warehouse-associate',
      body: { code: 'E1', quantity: 50, scanId: 'E1-1' },
    });
    expect(retried.body.lines.find((l: { sku: string }) => l.sku === 'E1')).toEqual({
      sku: 'E1',
      expected: 100,
      received: 100,
    });
    const closed = await rt.api('POST', '/api/receipts/ASN-500/close', { role: 'warehouse-associate' });
    expect(closed.status).toBe(200);
    expect(closed.body.exceptions).toEqual([]);
    expect((await rt.api('GET', '/api/purchase-orders/PO-500')).body.status).toBe('received');

    // The arriving stock released every backorder of these SKUs, without anyone asking.
    for (const id of orders) await waitForStatus(rt, id, 'released');
    for (const [i, id] of orders.entries()) {
      const order = await getOrder(rt, id);
      expect(order.shipments && Object.values(order.shipments)).toMatchObject([
        { locationId: 'DOCK', status: 'released' },
      ]);
      expect(order.lines[0].quantity).toBe(10 + i);
    }
    const receipt = await rt.api('GET', '/api/receipts/ASN-500');
    expect(receipt.body).toMatchObject({
      status: 'closed',
      putaway: { tasks: 10, done: 0 },
      dockToStockSeconds: null,
    });

    const open = await rt.api('GET', '/api/putaway-tasks?locationId=DOCK', { role: 'warehouse-associate' });
    expect(open.body.items).toHaveLength(10);
    for (const task of open.body.items) {
      expect(task.suggestedBinId).toBe(`B-${task.sku}`);
      const done = await rt.api('POST', `/api/putaway-tasks/${task.taskId}/confirm`, {
        role: 'warehouse-associate',
        body: { binCode: task.suggestedBinId },
      });
      expect(done.status, JSON.stringify(done.body)).toBe(200);
    }
    const bins = (await rt.api('GET', '/api/locations/DOCK/bins')).body.items;
    for (const sku of SKUS) {
      expect(bins.find((b: { binId: string }) => b.binId === `B-${sku}`).contents).toEqual([
        { sku, quantity: 100 },
      ]);
    }

    const report = await rt.api('GET', '/api/receipts/ASN-500', { role: 'finance' });
    expect(report.status).toBe(200);
    expect(report.body).toMatchObject({
      asnId: 'ASN-500',
      poId: 'PO-500',
      status: 'closed',
      lines: SKUS.map((sku) => ({ sku, expected: 100, received: 100, damaged: 0 })),
      exceptions: [],
      putaway: { tasks: 10, done: 10 },
    });
    const expected = Math.round(
      (Date.parse(report.body.putaway.lastPutAwayAt) - Date.parse(report.body.firstScanAt)) / 1000,
    );
    expect(report.body.dockToStockSeconds).toBe(expected);
    expect((await rt.api('GET', '/api/receipts/NO-SUCH-ASN')).status).toBe(404);
    await expectStockInvariants(rt, SKUS);
  });
});
