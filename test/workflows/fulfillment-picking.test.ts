import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';
import { localTimeIn } from '../support/warehouse-floor.ts';
import { positions, putChannel, sendOrder } from './order-release-helpers.ts';

/**
 * Waves and scan-verified picking over the real runtime: orders come in through a signed
 * storefront webhook and reach fulfillment through the real release path (OrderReleased).
 * Each scenario has its own site, so their queues never meet.
 */

let rt: TestRuntime;
const BARCODE = { MUG: '0490000000011', TEE: '0490000000028' } as const;
const tokens = new Map<string, string>();
const SITES = {
  PK1: { MUG: 10, TEE: 10 },
  PK2: { MUG: 5, TEE: 5 },
  PK3: { MUG: 5, TEE: 5 },
  PK4: { MUG: 3, TEE: 1 },
  PK5: { MUG: 40, TEE: 10 },
};

beforeAll(async () => {
  rt = await startTestRuntime();
  for (const [sku, barcode] of Object.entries(BARCODE)) {
    expect(
      (await rt.api('PUT', `/api/skus/${sku}`, { body: { name: sku, barcodes: [barcode] } })).status,
    ).toBeLessThan(300);
  }
  // Every site (and its carrier) before the first order: cutoffs read carriers through a short cache.
  for (const [site, stock] of Object.entries(SITES)) await openSite(site, stock);
});

afterAll(async () => {
  await rt?.stop();
});

/** A named associate (two people on the floor must be told apart). */
async function as(username: string, method: string, path: string, body?: unknown) {
  let token = tokens.get(username);
  if (!token) {
    token = await rt.token('warehouse-associate', username);
    tokens.set(username, token);
  }
  const res = await fetch(`${rt.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

/** A warehouse with two pick bins in walk order (MUG in A-01, TEE in A-02), a carrier and a channel. */
async function openSite(site: string, stock: { MUG: number; TEE: number }) {
  const location = await rt.api('PUT', `/api/locations/${site}`, {
    body: {
      name: site,
      type: 'warehouse',
      timezone: 'UTC',
      address: { line1: '1 Dock Rd', city: 'Newark', region: 'NJ', postalCode: '07102', country: 'US' },
    },
  });
  expect(location.status).toBeLessThan(300);
  for (const [binId, walkOrder] of [
    ['A-01', 1],
    ['A-02', 2],
  ] as const) {
    const bin = await rt.api('PUT', `/api/locations/${site}/bins/${binId}`, {
      role: 'supervisor',
      body: { zone: 'A', walkOrder, type: 'pick', barcode: `${site}-${binId}` },
    });
    expect(bin.status, JSON.stringify(bin.body)).toBeLessThan(300);
  }
  for (const [sku, binId] of [
    ['MUG', 'A-01'],
    ['TEE', 'A-02'],
  ] as const) {
    const receipt = await rt.api('POST', '/api/inventory/receipts', {
      body: {
        sku,
        locationId: site,
        binId,
        quantity: stock[sku],
        reason: 'opening stock',
        idempotencyKey: `open-${site}-${sku}`,
      },
    });
    expect(receipt.status, JSON.stringify(receipt.body)).toBeLessThan(300);
  }
  const carrier = await rt.api('PUT', `/api/carriers/C-${site}`, {
    role: 'supervisor',
    body: {
      name: `Carrier of ${site}`,
      services: [
        {
          code: 'express',
          serviceLevels: ['expedited'],
          cutoffs: [{ locationId: site, time: localTimeIn('UTC', 1) }],
        },
        {
          code: 'ground',
          serviceLevels: ['standard'],
          cutoffs: [{ locationId: site, time: localTimeIn('UTC', 3) }],
        },
      ],
    },
  });
  expect(carrier.status, JSON.stringify(carrier.body)).toBeLessThan(300);
  await putChannel(rt, `web-${site}`, { locationIds: [site] });
}

/** Sends an order to the site's channel and waits for its fulfillment. */
async function order(site: string, lines: { sku: string; quantity: number }[], serviceLevel = 'standard') {
  const orderId = await sendOrder(rt, `web-${site}`, { lines, serviceLevel });
  const until = Date.now() + 60_000;
  while (Date.now() < until) {
    await rt.settle();
    const res = await rt.api('GET', `/api/fulfillments?orderId=${orderId}`);
    expect(res.status).toBe(200);
    if (res.body.items.length) return res.body.items[0];
    await new Promise((r) => setTimeout(r, 100));
  }
  const placed = await rt.api('GET', `/api/orders/${orderId}`);
  throw new Error(
    `no fulfillment for ${orderId} (order ${placed.body?.status}; dead letters: ${JSON.stringify(rt.bus.deadLetters.map((d) => `${d.rule}: ${d.error}`))})`,
  );
}

const planWave = async (locationId: string) => {
  const res = await rt.api('POST', '/api/waves', { role: 'supervisor', body: { locationId } });
  expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
  return res.body;
};
const fulfillment = async (id: string) =>
  (await rt.api('GET', `/api/fulfillments/${encodeURIComponent(id)}`)).body;
const task = async (waveId: string, taskId: string) =>
  (await rt.api('GET', `/api/waves/${waveId}`)).body.tasks.find((t: any) => t.taskId === taskId);
const binContents = async (site: string) => {
  const res = await rt.api('GET', `/api/locations/${site}/bins`);
  expect(res.status).toBe(200);
  return Object.fromEntries(
    res.body.items.map((b: any) => [
      b.binId,
      Object.fromEntries(b.contents.map((c: any) => [c.sku, c.quantity])),
    ]),
  );
};
const eventsOf = (type: string, pred: (data: any) => boolean): any[] =>
  rt.bus.events({ detailType: type }).filter((e: any) => pred(e.detail.data));

describe('a wave, picked in walk order', () => {
  it('moves every unit bin → STAGING and leaves each fulfillment picked', async () => {
    const orders = [
      await order('PK1', [
        { sku: 'MUG', quantity: 2 },
        { sku: 'TEE', quantity: 1 },
      ]),
      await order('PK1', [{ sku: 'MUG', quantity: 1 }]),
      await order('PK1', [{ sku: 'TEE', quantity: 3 }]),
    ];
    expect(orders.map((f) => f.status)).toEqual(['released', 'released', 'released']);

    const wave = await planWave('PK1');
    expect(wave.fulfillmentIds.sort()).toEqual(orders.map((f) => f.fulfillmentId).sort());
    expect(wave.taskCount).toBe(2);
    expect(eventsOf('WaveReleased', (d) => d.waveId === wave.waveId)).toHaveLength(1);

    const picked: string[] = [];
    for (;;) {
      const next = await as('alice', 'GET', `/api/pick-tasks/next?waveId=${wave.waveId}`);
      if (next.status === 204) break;
      expect(next.status).toBe(200);
      picked.push(next.body.binId);
      const bin = await as('alice', 'POST', `/api/pick-tasks/${next.body.taskId}/scans`, {
        code: next.body.binCode,
      });
      expect(bin.status).toBe(200);
      const units = await as('alice', 'POST', `/api/pick-tasks/${next.body.taskId}/scans`, {
        code: next.body.barcodes[0],
        quantity: next.body.quantity,
        scanId: `${next.body.taskId}-all`,
      });
      expect(units.body).toMatchObject({ pickedQuantity: next.body.quantity, status: 'done' });
    }

    expect(picked).toEqual(['A-01', 'A-02']);
    const bins = await binContents('PK1');
    expect(bins.STAGING).toEqual({ MUG: 3, TEE: 4 });
    expect(bins['A-01']).toEqual({ MUG: 7 });
    expect(bins['A-02']).toEqual({ TEE: 6 });
    for (const f of orders) {
      const after = await fulfillment(f.fulfillmentId);
      expect(after.status).toBe('picked');
      for (const line of after.lines) expect(line.picked).toBe(line.quantity);
    }
    expect((await rt.api('GET', `/api/waves/${wave.waveId}`)).body.status).toBe('picked');
    // Picking moves units between bins only: on hand and reserved are untouched until shipping.
    expect((await positions(rt, 'MUG')).PK1).toMatchObject({ onHand: 10, reserved: 3 });
    // The floor's pick rate is measured from claim to done.
    const settings = await rt.api('GET', '/api/fulfillment-settings/PK1');
    expect(settings.body.measured.units).toBe(7);
  });
});

describe('scans that are refused', () => {
  it('records nothing for SCAN_BIN_FIRST, WRONG_BIN, WRONG_ITEM and OVER_PICK; a retried scan counts once', async () => {
    const f = await order('PK2', [{ sku: 'MUG', quantity: 2 }]);
    const wave = await planWave('PK2');
    const next = (await as('bob', 'GET', `/api/pick-tasks/next?waveId=${wave.waveId}`)).body;
    const scan = (body: unknown) => as('bob', 'POST', `/api/pick-tasks/${next.taskId}/scans`, body);
    const before = await binContents('PK2');

    const refused = [
      await scan({ code: BARCODE.MUG }),
      await scan({ code: 'PK2-A-02' }),
      await scan({ code: 'PK2-A-01' }), // the right bin: accepted
      await scan({ code: BARCODE.TEE }),
      await scan({ code: BARCODE.MUG, quantity: 3 }),
    ];
    expect(refused.map((r) => r.body?.error?.code ?? r.status)).toEqual([
      'SCAN_BIN_FIRST',
      'WRONG_BIN',
      200,
      'WRONG_ITEM',
      'OVER_PICK',
    ]);
    expect((await task(wave.waveId, next.taskId)).pickedQuantity).toBe(0);
    expect(await binContents('PK2')).toEqual(before);
    expect((await fulfillment(f.fulfillmentId)).lines[0].picked).toBe(0);

    const once = await scan({ code: BARCODE.MUG, scanId: 'scan-1' });
    const again = await scan({ code: BARCODE.MUG, scanId: 'scan-1' });
    expect(once.body.pickedQuantity).toBe(1);
    expect(again.body).toEqual(once.body);
    expect((await binContents('PK2')).STAGING).toEqual({ MUG: 1 });
    expect((await fulfillment(f.fulfillmentId)).lines[0]).toMatchObject({ picked: 1, quantity: 2 });
  });
});

describe('claims', () => {
  it('never hands one task to two associates, and hands an expired claim out again', async () => {
    await order('PK3', [
      { sku: 'MUG', quantity: 1 },
      { sku: 'TEE', quantity: 1 },
    ]);
    const wave = await planWave('PK3');
    expect(wave.taskCount).toBe(2);

    const [first, second] = await Promise.all([
      as('carol', 'GET', `/api/pick-tasks/next?waveId=${wave.waveId}`),
      as('dave', 'GET', `/api/pick-tasks/next?waveId=${wave.waveId}`),
    ]);
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(first.body.taskId).not.toBe(second.body.taskId);
    // Asking again gives each their own task back; a third person finds nothing left.
    expect((await as('carol', 'GET', `/api/pick-tasks/next?waveId=${wave.waveId}`)).body.taskId).toBe(
      first.body.taskId,
    );
    expect((await as('erin', 'GET', `/api/pick-tasks/next?waveId=${wave.waveId}`)).status).toBe(204);
    // Someone else's task cannot be scanned.
    const foreign = await as('erin', 'POST', `/api/pick-tasks/${first.body.taskId}/scans`, {
      code: first.body.binCode,
    });
    expect(foreign.body.error.code).toBe('TASK_NOT_CLAIMED');

    const settings = await rt.api('PUT', '/api/fulfillment-settings/PK3', {
      role: 'supervisor',
      body: { claimTimeoutSeconds: 2 },
    });
    expect(settings.body.claimTimeoutSeconds).toBe(2);
    // Dave keeps his claim alive by scanning; Carol's goes untouched past the timeout.
    await new Promise((r) => setTimeout(r, 1_200));
    expect(
      (await as('dave', 'POST', `/api/pick-tasks/${second.body.taskId}/scans`, { code: second.body.binCode }))
        .status,
    ).toBe(200);
    await new Promise((r) => setTimeout(r, 1_200));

    const taken = await as('erin', 'GET', `/api/pick-tasks/next?waveId=${wave.waveId}`);
    expect(taken.status).toBe(200);
    expect(taken.body.taskId).toBe(first.body.taskId);
    expect((await task(wave.waveId, first.body.taskId)).claimedBy).toBe('erin');
  });
});

describe('short pick', () => {
  it('writes the missing units off through inventory and publishes PickShorted', async () => {
    const f = await order('PK4', [{ sku: 'MUG', quantity: 3 }]);
    const wave = await planWave('PK4');
    const next = (await as('frank', 'GET', `/api/pick-tasks/next?waveId=${wave.waveId}`)).body;
    await as('frank', 'POST', `/api/pick-tasks/${next.taskId}/scans`, { code: next.binCode });

    // Only one mug is in the bin: one found, two short.
    const short = await as('frank', 'POST', `/api/pick-tasks/${next.taskId}/short`, {
      quantityFound: 1,
      reason: 'bin empty',
    });
    expect(short.status, JSON.stringify(short.body)).toBe(200);
    expect(short.body).toMatchObject({ status: 'short', pickedQuantity: 1 });

    const after = await fulfillment(f.fulfillmentId);
    expect(after.lines[0]).toMatchObject({ sku: 'MUG', quantity: 1, picked: 1, shorted: 2 });
    expect(after.status).toBe('picked');
    expect((await positions(rt, 'MUG')).PK4).toMatchObject({ onHand: 1, reserved: 1 });
    const bins = await binContents('PK4');
    expect(bins['A-01']?.MUG ?? 0).toBe(0);
    expect(bins.STAGING).toEqual({ MUG: 1 });
    expect((await task(wave.waveId, next.taskId)).countRequested).toBe(true);

    await rt.settle();
    const events = eventsOf('PickShorted', (d) => d.fulfillmentId === f.fulfillmentId);
    expect(events).toHaveLength(1);
    expect(events[0].detail.data).toMatchObject({
      orderId: f.orderId,
      locationId: 'PK4',
      binId: 'A-01',
      taskId: next.taskId,
      lines: [{ lineId: 'L1', sku: 'MUG', quantity: 2 }],
      countRequested: true,
    });
  });
});

describe('planning', () => {
  it('takes the earliest cutoff first, and an at-risk fulfillment jumps the queue (raised once)', async () => {
    // Ground (3 h) first, express (1 h) second: the later order's earlier cutoff goes first.
    const ground = await order('PK5', [{ sku: 'TEE', quantity: 1 }], 'standard');
    const express = await order('PK5', [{ sku: 'TEE', quantity: 1 }], 'expedited');
    expect(Date.parse(express.cutoffAt)).toBeLessThan(Date.parse(ground.cutoffAt));
    expect((await planWave('PK5')).fulfillmentIds).toEqual([express.fulfillmentId]);
    expect((await planWave('PK5')).fulfillmentIds).toEqual([ground.fulfillmentId]);

    // At 0.1 units a minute, 20 mugs behind the open waves cannot make a 3-hour cutoff.
    const big = await order('PK5', [{ sku: 'MUG', quantity: 20 }], 'standard');
    const small = await order('PK5', [{ sku: 'TEE', quantity: 1 }], 'expedited');
    await rt.api('PUT', '/api/fulfillment-settings/PK5', {
      role: 'supervisor',
      body: { unitsPerMinute: 0.1 },
    });
    const wave = await planWave('PK5');
    expect(wave.fulfillmentIds).toEqual([big.fulfillmentId]);
    expect((await fulfillment(big.fulfillmentId)).atRisk).toBe(true);
    expect((await planWave('PK5')).fulfillmentIds).toEqual([small.fulfillmentId]);
    expect((await planWave('PK5')).waveId).toBeNull();

    await rt.settle();
    const raised = eventsOf('CutoffAtRisk', (d) => d.fulfillmentId === big.fulfillmentId);
    expect(raised).toHaveLength(1);
    expect(raised[0].detail.data).toMatchObject({ locationId: 'PK5', cutoffAt: big.cutoffAt });
    expect(raised[0].detail.data.minutesNeeded).toBeGreaterThan(raised[0].detail.data.minutesLeft);
  });
});
