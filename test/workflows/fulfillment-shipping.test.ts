import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executionNameOf } from '../../functions/fulfillment/adapters/workflows.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';
import { pickWave, planAllWaves } from '../support/warehouse-floor.ts';
import { putChannel, putLocation, sendOrder } from './order-release-helpers.ts';

/**
 * Pack, ship, the fulfillment workflow and cancellation on the local runtime, through the HTTP
 * routes: an order released to the warehouse is waved, picked, packed (wrong, extra and missing
 * units refused) and shipped; stock comes out exact and the workflow ends. A cancel before the
 * parcel leaves puts every picked unit back; a phase that takes too long raises an exception.
 */
const SITE = 'SHIP-WH';
const BINS = ['A-01', 'B-01'];

let rt: TestRuntime;

const floor = { role: 'warehouse-associate' as const };

beforeAll(async () => {
  rt = await startTestRuntime();
  for (const [sku, barcode] of [
    ['SHIP-TEE', '4006381333931'],
    ['SHIP-MUG', '4006381333948'],
  ] as const) {
    expect(
      (await rt.api('PUT', `/api/skus/${sku}`, { body: { name: sku, barcodes: [barcode] } })).status,
    ).toBeLessThan(300);
  }
  await putLocation(rt, SITE, 'warehouse');
  for (const [i, binId] of BINS.entries()) {
    const res = await rt.api('PUT', `/api/locations/${SITE}/bins/${binId}`, {
      role: 'supervisor',
      body: { zone: binId.slice(0, 1), walkOrder: (i + 1) * 10, type: 'pick' },
    });
    expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
  }
  for (const [sku, binId] of [
    ['SHIP-TEE', 'A-01'],
    ['SHIP-MUG', 'B-01'],
  ]) {
    const res = await rt.api('POST', '/api/inventory/receipts', {
      body: {
        sku,
        locationId: SITE,
        binId,
        quantity: 10,
        reason: 'opening stock',
        idempotencyKey: `open-${sku}`,
      },
    });
    expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
  }
  await putChannel(rt, 'ship-shop', { locationIds: [SITE] });
}, 120_000);

afterAll(async () => {
  await rt?.stop();
});

async function fulfillmentOf(orderId: string, timeoutMs = 30_000): Promise<any> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    await rt.settle();
    const res = await rt.api('GET', `/api/fulfillments?orderId=${encodeURIComponent(orderId)}`);
    expect(res.status).toBe(200);
    if (res.body.items.length > 0) return res.body.items[0];
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no fulfillment for ${orderId}`);
}

async function fulfillment(id: string) {
  const res = await rt.api('GET', `/api/fulfillments/${encodeURIComponent(id)}`);
  expect(res.status).toBe(200);
  return res.body;
}

const execution = (fulfillmentId: string) =>
  rt.sfn.describeExecution(
    `${rt.sfn.arnOf('fulfillment').replace(':stateMachine:', ':execution:')}:${executionNameOf(fulfillmentId)}`,
  );

function startedYet(fulfillmentId: string) {
  try {
    return Boolean(execution(fulfillmentId));
  } catch {
    return false;
  }
}

async function executionEnded(fulfillmentId: string, timeoutMs = 30_000) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    await rt.settle();
    const e = execution(fulfillmentId);
    if (e.status !== 'RUNNING') return e;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`execution ${fulfillmentId} still running`);
}

async function stockAt(sku: string) {
  const res = await rt.api('GET', `/api/inventory/${sku}`);
  expect(res.status).toBe(200);
  const p = res.body.positions.find((x: any) => x.locationId === SITE);
  return { onHand: p?.onHand ?? 0, reserved: p?.reserved ?? 0 };
}

async function binContents(): Promise<Record<string, Record<string, number>>> {
  const res = await rt.api('GET', `/api/locations/${SITE}/bins`);
  expect(res.status).toBe(200);
  return Object.fromEntries(
    res.body.items.map((b: any) => [
      b.binId,
      Object.fromEntries(b.contents.map((c: any) => [c.sku, c.quantity])),
    ]),
  );
}

const packScan = (id: string, code: string) =>
  rt.api('POST', `/api/fulfillments/${encodeURIComponent(id)}/pack-scans`, { ...floor, body: { code } });
const packages = (id: string) =>
  rt.api('POST', `/api/fulfillments/${encodeURIComponent(id)}/packages`, {
    ...floor,
    body: { packages: [{ weightGrams: 900, lengthMm: 300, widthMm: 200, heightMm: 150 }] },
  });
const shipIt = (id: string) =>
  rt.api('POST', `/api/fulfillments/${encodeURIComponent(id)}/ship`, {
    ...floor,
    body: { carrier: 'UPS', service: 'ground', trackingNumber: `1Z-${id}` },
  });

async function releasedAndPicked(lines: { sku: string; quantity: number }[]) {
  const orderId = await sendOrder(rt, 'ship-shop', { lines });
  const f = await fulfillmentOf(orderId);
  const [wave] = await planAllWaves(rt, SITE);
  expect(wave?.fulfillmentIds).toEqual([f.fulfillmentId]);
  await pickWave(rt, wave?.waveId as string);
  return { orderId, fulfillmentId: f.fulfillmentId as string };
}

describe('pack and ship', () => {
  it('ships a picked order exactly once, with stock out of STAGING and the workflow ended', async () => {
    const before = { tee: await stockAt('SHIP-TEE'), mug: await stockAt('SHIP-MUG') };
    const { fulfillmentId: id } = await releasedAndPicked([
      { sku: 'SHIP-TEE', quantity: 2 },
      { sku: 'SHIP-MUG', quantity: 1 },
    ]);
    expect(await fulfillment(id)).toMatchObject({ status: 'picked' });
    expect((await binContents()).STAGING).toEqual({ 'SHIP-TEE': 2, 'SHIP-MUG': 1 });

    // A barcode and the SKU code both count; a unit of another SKU is refused.
    expect((await packScan(id, '4006381333931')).status).toBe(200);
    expect((await packScan(id, 'SHIP-TEE')).body.lines).toEqual(
      expect.arrayContaining([expect.objectContaining({ sku: 'SHIP-TEE', packed: 2 })]),
    );
    expect((await packScan(id, 'NOT-OURS')).body.error.code).toBe('WRONG_ITEM');
    expect((await packScan(id, 'SHIP-TEE')).body.error.code).toBe('EXTRA_UNIT');
    // The mug is still missing: no packages yet, and nothing ships before packing.
    const incomplete = await packages(id);
    expect(incomplete.status).toBe(409);
    expect(incomplete.body.error).toMatchObject({
      code: 'PACK_INCOMPLETE',
      details: { missing: [expect.objectContaining({ sku: 'SHIP-MUG', missing: 1 })] },
    });
    expect((await shipIt(id)).body.error.code).toBe('NOT_PACKED');

    expect((await packScan(id, 'SHIP-MUG')).status).toBe(200);
    expect((await packages(id)).status).toBe(201);
    const shipped = await shipIt(id);
    expect(shipped.status).toBe(201);
    expect(shipped.body).toMatchObject({
      status: 'shipped',
      shipment: {
        shipmentId: id,
        carrier: 'UPS',
        trackingNumber: `1Z-${id}`,
        shippedBy: 'local-warehouse-associate',
      },
    });
    expect(shipped.body.tokens).toBeUndefined();
    const again = await shipIt(id);
    expect(again.status).toBe(200);
    expect(again.body.shipment).toEqual(shipped.body.shipment);

    expect((await executionEnded(id)).status).toBe('SUCCEEDED');
    const confirmations = rt.bus
      .events({ detailType: 'ShipmentConfirmed' })
      .map((e: any) => e.detail.data)
      .filter((data: any) => data.fulfillmentId === id);
    expect(confirmations).toHaveLength(1);
    expect(confirmations[0]).toMatchObject({
      shipmentId: id,
      packages: 1,
      lines: expect.arrayContaining([
        expect.objectContaining({ sku: 'SHIP-TEE', quantity: 2 }),
        expect.objectContaining({ sku: 'SHIP-MUG', quantity: 1 }),
      ]),
    });
    expect(
      rt.bus
        .events({ detailType: 'FulfillmentPacked' })
        .filter((e: any) => e.detail.data.fulfillmentId === id),
    ).toHaveLength(1);

    expect(await stockAt('SHIP-TEE')).toEqual({ onHand: before.tee.onHand - 2, reserved: 0 });
    expect(await stockAt('SHIP-MUG')).toEqual({ onHand: before.mug.onHand - 1, reserved: 0 });
    expect((await binContents()).STAGING ?? {}).toEqual({});

    const audit = await rt.api('GET', '/api/audit?action=POST%20/api/fulfillments/%7Bid%7D/ship', {
      role: 'supervisor',
    });
    expect(audit.body.items.map((a: any) => [a.status, a.outcome])).toEqual(
      expect.arrayContaining([
        [201, 'succeeded'],
        [200, 'unchanged'],
        [409, 'rejected'],
      ]),
    );
    expect(rt.bus.deadLetters.map((d) => `${d.rule}: ${d.error}`)).toEqual([]);
  }, 120_000);
});

describe('cancel before ship', () => {
  it('releases the reservation, puts picked units back in their bins and ends the workflow', async () => {
    const bins = await binContents();
    const before = await stockAt('SHIP-TEE');
    const { orderId, fulfillmentId: id } = await releasedAndPicked([{ sku: 'SHIP-TEE', quantity: 3 }]);
    expect((await binContents())['A-01']?.['SHIP-TEE']).toBe((bins['A-01']?.['SHIP-TEE'] ?? 0) - 3);
    expect((await packScan(id, 'SHIP-TEE')).status).toBe(200);

    const cancel = await rt.api('POST', `/api/orders/${encodeURIComponent(orderId)}/cancel`, {
      role: 'admin',
      body: { reason: 'customer changed their mind' },
    });
    expect(cancel.status, JSON.stringify(cancel.body)).toBeLessThan(300);

    const ended = await executionEnded(id);
    expect(ended.status).toBe('SUCCEEDED');
    expect(JSON.parse(ended.output as string).cancel).toMatchObject({
      outcome: 'cancelled',
      unitsReturned: 3,
    });
    expect(await fulfillment(id)).toMatchObject({ status: 'cancelled' });
    expect(await stockAt('SHIP-TEE')).toEqual({ onHand: before.onHand, reserved: 0 });
    const after = await binContents();
    expect(after['A-01']?.['SHIP-TEE']).toBe(bins['A-01']?.['SHIP-TEE']);
    expect(after.STAGING ?? {}).toEqual({});
    expect((await shipIt(id)).body.error.code).toBe('FULFILLMENT_CANCELLED');
    expect(rt.bus.deadLetters.map((d) => `${d.rule}: ${d.error}`)).toEqual([]);
  }, 120_000);
});

describe('phase timeouts', () => {
  it('raise PHASE_TIMED_OUT on the fulfillment and the workflow waits on', async () => {
    rt.sfn.setTaskTimeouts('fulfillment', { AwaitWave: 1 });
    let id: string;
    let orderId: string;
    try {
      orderId = await sendOrder(rt, 'ship-shop', { lines: [{ sku: 'SHIP-MUG', quantity: 1 }] });
      id = (await fulfillmentOf(orderId)).fulfillmentId;
      // The short timeout applies to executions started before it is put back.
      for (let i = 0; i < 200 && !startedYet(id); i++) await new Promise((r) => setTimeout(r, 25));
    } finally {
      rt.sfn.setTaskTimeouts('fulfillment', { AwaitWave: 172800 });
    }
    const until = Date.now() + 15_000;
    let f = await fulfillment(id);
    while (!f.exception && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 200));
      f = await fulfillment(id);
    }
    expect(f).toMatchObject({ status: 'released', exception: { code: 'PHASE_TIMED_OUT' } });
    expect(execution(id).status).toBe('RUNNING');

    // Still parked on its wave: a cancel reaches it and ends it.
    const cancel = await rt.api('POST', `/api/orders/${encodeURIComponent(orderId)}/cancel`, {
      role: 'admin',
      body: { reason: 'too late' },
    });
    expect(cancel.status).toBeLessThan(300);
    expect((await executionEnded(id)).status).toBe('SUCCEEDED');
    expect(await fulfillment(id)).toMatchObject({ status: 'cancelled' });
  }, 60_000);
});
