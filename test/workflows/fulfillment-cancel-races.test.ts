import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executionNameOf } from '../../functions/fulfillment/adapters/workflows.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';
import { putChannel, putLocation, sendOrder } from './order-release-helpers.ts';

/**
 * Cancels racing the warehouse floor, on the local runtime through the HTTP routes: a unit
 * scanned (or short-picked) for a fulfillment cancelled meanwhile stays in its bin, a fulfillment
 * created after its order was cancelled ends cancelled, and a phase's timeout exception clears
 * once the phase is done. Every scenario checks that no unit is left behind in STAGING.
 */
const SITE = 'RACE-WH';
const SKU = 'RACE-TEE';
const BARCODE = '4006381339995';

let rt: TestRuntime;
const floor = { role: 'warehouse-associate' as const };

/** OrderReleased deliveries to fulfillment wait here while `holdReleases` is on (a slow consumer). */
let holdReleases = false;
const heldReleases: (() => void)[] = [];
/** OrderCancelled / OrderReleaseCancelled deliveries fulfillment has finished handling. */
let cancelsHandled = 0;

beforeAll(async () => {
  rt = await startTestRuntime();
  expect(
    (await rt.api('PUT', `/api/skus/${SKU}`, { body: { name: SKU, barcodes: [BARCODE] } })).status,
  ).toBeLessThan(300);
  await putLocation(rt, SITE, 'warehouse');
  const bin = await rt.api('PUT', `/api/locations/${SITE}/bins/A-01`, {
    role: 'supervisor',
    body: { zone: 'A', walkOrder: 10, type: 'pick' },
  });
  expect(bin.status, JSON.stringify(bin.body)).toBeLessThan(300);
  const receipt = await rt.api('POST', '/api/inventory/receipts', {
    body: {
      sku: SKU,
      locationId: SITE,
      binId: 'A-01',
      quantity: 10,
      reason: 'opening stock',
      idempotencyKey: 'open-race-tee',
    },
  });
  expect(receipt.status, JSON.stringify(receipt.body)).toBeLessThan(300);
  await putChannel(rt, 'race-shop', { locationIds: [SITE] });
  // At the Lambda boundary: the bus, the handlers and the workflow stay real, only delivery is slow.
  const invoke = rt.lambdas.invokeInBackground.bind(rt.lambdas);
  rt.lambdas.invokeInBackground = async (fn: string, payload: unknown) => {
    if (fn === 'onOrderReleased' && holdReleases) await new Promise<void>((go) => heldReleases.push(go));
    const out = await invoke(fn, payload);
    if (fn === 'onOrderCancelledFulfillment') cancelsHandled++;
    return out;
  };
}, 120_000);

afterAll(async () => {
  await rt?.stop();
});

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, ms = 30_000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const found = await probe();
    if (found !== undefined) return found;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function fulfillmentOf(orderId: string): Promise<any> {
  return until(`a fulfillment of ${orderId}`, async () => {
    await rt.settle();
    return (await rt.api('GET', `/api/fulfillments?orderId=${encodeURIComponent(orderId)}`)).body.items[0];
  });
}

const fulfillment = async (id: string) =>
  (await rt.api('GET', `/api/fulfillments/${encodeURIComponent(id)}`)).body;

const execution = (id: string) =>
  rt.sfn.describeExecution(
    `${rt.sfn.arnOf('fulfillment').replace(':stateMachine:', ':execution:')}:${executionNameOf(id)}`,
  );

const ended = (id: string) =>
  until(`the workflow of ${id} to end`, async () => {
    await rt.settle();
    const e = execution(id);
    return e.status === 'RUNNING' ? undefined : e;
  });

async function cancelOrder(orderId: string) {
  const res = await rt.api('POST', `/api/orders/${encodeURIComponent(orderId)}/cancel`, {
    role: 'admin',
    body: { reason: 'customer changed their mind' },
  });
  expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
}

async function bins() {
  const res = await rt.api('GET', `/api/locations/${SITE}/bins`);
  const of = (binId: string) =>
    res.body.items.find((b: any) => b.binId === binId)?.contents.find((c: any) => c.sku === SKU)?.quantity ??
    0;
  return { pickBin: of('A-01'), staging: of('STAGING') };
}

async function stock() {
  const p = (await rt.api('GET', `/api/inventory/${SKU}`)).body.positions.find(
    (x: any) => x.locationId === SITE,
  );
  return { onHand: p.onHand, reserved: p.reserved };
}

async function wave(expected: string[]) {
  const res = await rt.api('POST', '/api/waves', { role: 'supervisor', body: { locationId: SITE } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  expect([...res.body.fulfillmentIds].sort()).toEqual([...expected].sort());
  return res.body.waveId as string;
}

const nextTask = async (waveId: string) =>
  rt.api('GET', `/api/pick-tasks/next?waveId=${encodeURIComponent(waveId)}`, floor);
const scan = (taskId: string, body: Record<string, unknown>) =>
  rt.api('POST', `/api/pick-tasks/${encodeURIComponent(taskId)}/scans`, { ...floor, body });

describe('a pick racing a cancel', () => {
  it('refuses units for the cancelled fulfillment, takes the rest for the other one, strands nothing', async () => {
    const before = { bins: await bins(), stock: await stock() };
    const cancelled = await fulfillmentOf(
      await sendOrder(rt, 'race-shop', { lines: [{ sku: SKU, quantity: 2 }] }),
    );
    const kept = await fulfillmentOf(
      await sendOrder(rt, 'race-shop', { lines: [{ sku: SKU, quantity: 1 }] }),
    );
    const waveId = await wave([cancelled.fulfillmentId, kept.fulfillmentId]);
    const task = (await nextTask(waveId)).body;
    expect(task.quantity).toBe(3);
    expect((await scan(task.taskId, { code: task.binCode })).status).toBe(200);

    await cancelOrder(cancelled.orderId);
    await ended(cancelled.fulfillmentId);
    expect(await fulfillment(cancelled.fulfillmentId)).toMatchObject({ status: 'cancelled' });

    // Three units were asked of this bin; only the kept order still wants one.
    const refused = await scan(task.taskId, { code: BARCODE, quantity: 2, scanId: 'race-1' });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({
      code: 'FULFILLMENT_CANCELLED',
      details: { fulfillmentIds: [cancelled.fulfillmentId], remaining: 1 },
    });
    expect(await bins()).toEqual(before.bins);

    const taken = await scan(task.taskId, { code: BARCODE, quantity: 1, scanId: 'race-2' });
    expect(taken.body).toMatchObject({ pickedQuantity: 1, quantity: 1, status: 'done' });
    expect((await nextTask(waveId)).status).toBe(204);
    expect(await fulfillment(kept.fulfillmentId)).toMatchObject({ status: 'picked' });
    expect((await rt.api('GET', `/api/waves/${waveId}`)).body.status).toBe('picked');
    expect(await bins()).toEqual({ pickBin: before.bins.pickBin - 1, staging: before.bins.staging + 1 });
    expect(await stock()).toEqual({ onHand: before.stock.onHand, reserved: before.stock.reserved + 1 });
  }, 120_000);

  it('a short pick after the cancel writes nothing off and closes the task', async () => {
    const before = { bins: await bins(), stock: await stock() };
    const f = await fulfillmentOf(await sendOrder(rt, 'race-shop', { lines: [{ sku: SKU, quantity: 2 }] }));
    const waveId = await wave([f.fulfillmentId]);
    const task = (await nextTask(waveId)).body;
    await scan(task.taskId, { code: task.binCode });
    expect((await scan(task.taskId, { code: BARCODE, scanId: 'short-1' })).status).toBe(200);

    await cancelOrder(f.orderId);
    expect(JSON.parse((await ended(f.fulfillmentId)).output as string).cancel).toMatchObject({
      outcome: 'cancelled',
      unitsReturned: 1,
    });

    const short = await rt.api('POST', `/api/pick-tasks/${encodeURIComponent(task.taskId)}/short`, {
      ...floor,
      body: { quantityFound: 0, reason: 'bin looked empty' },
    });
    expect(short.status, JSON.stringify(short.body)).toBe(200);
    expect(short.body).toMatchObject({ status: 'short', pickedQuantity: 1, quantity: 1 });
    expect(rt.bus.events({ detailType: 'PickShorted' })).toHaveLength(0);
    expect(await bins()).toEqual(before.bins);
    expect(await stock()).toEqual(before.stock);
  }, 120_000);
});

describe('a release delivered after its order was cancelled', () => {
  it('creates the fulfillment cancelled: its workflow ends and no unit is held', async () => {
    const before = { bins: await bins(), stock: await stock() };
    holdReleases = true;
    let orderId: string;
    try {
      orderId = await sendOrder(rt, 'race-shop', { lines: [{ sku: SKU, quantity: 2 }] });
      await until('OrderReleased to reach fulfillment', () => (heldReleases.length ? true : undefined));
      const handled = cancelsHandled;
      await cancelOrder(orderId);
      // Fulfillment's cancel handler ran first and found nothing to cancel.
      await until('the cancel to be handled', () => (cancelsHandled > handled ? true : undefined));
    } finally {
      holdReleases = false;
      for (const go of heldReleases.splice(0)) go();
    }
    const f = await fulfillmentOf(orderId);
    expect((await ended(f.fulfillmentId)).status).toBe('SUCCEEDED');
    expect(await fulfillment(f.fulfillmentId)).toMatchObject({ status: 'cancelled' });
    expect(await bins()).toEqual(before.bins);
    expect(await stock()).toEqual(before.stock);
    expect(rt.bus.deadLetters.map((d) => `${d.rule}: ${d.error}`)).toEqual([]);
  }, 120_000);
});

describe('a phase that timed out', () => {
  it('clears its PHASE_TIMED_OUT once the phase is done', async () => {
    rt.sfn.setTaskTimeouts('fulfillment', { AwaitWave: 1 });
    let f: any;
    try {
      f = await fulfillmentOf(await sendOrder(rt, 'race-shop', { lines: [{ sku: SKU, quantity: 1 }] }));
      await until('the workflow to start', () => {
        try {
          return execution(f.fulfillmentId) ? true : undefined;
        } catch {
          return undefined;
        }
      });
    } finally {
      rt.sfn.setTaskTimeouts('fulfillment', { AwaitWave: 172800 });
    }
    await until('the exception', async () => (await fulfillment(f.fulfillmentId)).exception);
    expect((await fulfillment(f.fulfillmentId)).exception).toMatchObject({
      code: 'PHASE_TIMED_OUT',
      phase: 'waved',
    });

    await wave([f.fulfillmentId]);
    await until('the exception to clear', async () => {
      await rt.settle();
      const now = await fulfillment(f.fulfillmentId);
      return now.exception ? undefined : now;
    });
    expect(await fulfillment(f.fulfillmentId)).toMatchObject({ status: 'waved' });
    expect(execution(f.fulfillmentId).status).toBe('RUNNING');
  }, 60_000);
});
