import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  RefundFailed,
  RefundIssued,
  RefundRequested,
  ReturnDispositioned,
  ReturnReceived,
} from '#returns/api';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';
import {
  awaitReleased,
  openFloor,
  packAndShip,
  pickWave,
  planAllWaves,
  twoZoneFloor,
} from '../support/warehouse-floor.ts';
import {
  expectStockInvariants,
  putChannel,
  sendOrder,
  waitForStatus,
} from '../workflows/order-release-helpers.ts';

/**
 * Returns on the local runtime, from orders really shipped through the floor: the request's
 * limits and approvals, receipt into returnedPending, each disposition's stock effect and ledger
 * movement, refund status with its events, and the returns workflow to its end.
 */
const SITE = 'RET-WH';
const TEE = 'RET-TEE';
const CAP = 'RET-CAP';
const SHOP = 'ret-shop';

let rt: TestRuntime;
/** Order ids: A (3 TEE at 10.00, 1 CAP at 25.00), B (5 TEE at 10.00), C (2 TEE at 10.00, 1 CAP at 25.00), D (1 TEE). */
const orders: Record<'A' | 'B' | 'C' | 'D', string> = { A: '', B: '', C: '', D: '' };

beforeAll(async () => {
  rt = await startTestRuntime();
  await openFloor(rt, twoZoneFloor(SITE, [TEE, CAP], 40));
  await putChannel(rt, SHOP, { locationIds: [SITE] });
  orders.A = await sendOrder(rt, SHOP, {
    externalId: 'ret-a',
    lines: [
      { sku: TEE, quantity: 3, unitPrice: '10.00' },
      { sku: CAP, quantity: 1, unitPrice: '25.00' },
    ],
  });
  orders.B = await sendOrder(rt, SHOP, {
    externalId: 'ret-b',
    lines: [{ sku: TEE, quantity: 5, unitPrice: '10.00' }],
  });
  orders.C = await sendOrder(rt, SHOP, {
    externalId: 'ret-c',
    lines: [
      { sku: TEE, quantity: 2, unitPrice: '10.00' },
      { sku: CAP, quantity: 1, unitPrice: '25.00' },
    ],
  });
  orders.D = await sendOrder(rt, SHOP, {
    externalId: 'ret-d',
    lines: [{ sku: TEE, quantity: 1, unitPrice: '10.00' }],
  });
  const released = await awaitReleased(rt, SITE, 4);
  for (const wave of await planAllWaves(rt, SITE)) await pickWave(rt, wave.waveId);
  for (const [i, f] of released.entries()) await packAndShip(rt, f.fulfillmentId, `1Z-RET-${i}`);
  await rt.settle();
}, 120_000);

afterAll(() => rt?.stop());

const request = (
  body: Record<string, unknown>,
  role: 'customer-service' | 'supervisor' | 'warehouse-associate' = 'customer-service',
) => rt.api('POST', '/api/returns', { role, body });
const get = async (id: string) => {
  const res = await rt.api('GET', `/api/returns/${id}`, { role: 'customer-service' });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
};
const settings = async (body: Record<string, unknown>) => {
  const res = await rt.api('PUT', '/api/return-settings', { role: 'supervisor', body });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
};
const DEFAULT_POLICY = {
  reasonCodes: ['damaged', 'defective', 'size_or_fit', 'other'],
  windowDays: 30,
  approvalThreshold: 50_000,
  autoApprove: true,
};
/** SKU's buckets at the site. */
const at = async (sku: string) => {
  const res = await rt.api('GET', `/api/inventory/${sku}`);
  expect(res.status).toBe(200);
  const p = res.body.positions.find((x: { locationId: string }) => x.locationId === SITE);
  return {
    onHand: p.onHand,
    available: p.available,
    returnedPending: p.returnedPending ?? 0,
    quarantined: p.quarantined ?? 0,
    damaged: p.damaged ?? 0,
  };
};
/** A return's events of a type, once each: a repeated command re-sends the identical event (same id), which consumers see once. */
const eventsOf = ({ detailType }: { detailType: string }, returnId: string) => {
  const byId = new Map<string, any>();
  for (const e of rt.bus.events({ detailType }) as any[])
    if (e.detail?.data?.returnId === returnId) byId.set(e.detail.metadata.eventId, e);
  return [...byId.values()];
};
async function until<T>(read: () => Promise<T>, done: (t: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 30_000;
  let last = await read();
  while (!done(last)) {
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(last)}`);
    await rt.settle();
    await new Promise((r) => setTimeout(r, 100));
    last = await read();
  }
  return last;
}

describe('return requests', () => {
  it('refuses more than shipped, unknown reasons and orders, and the wrong role, writing nothing', async () => {
    await settings(DEFAULT_POLICY);
    const over = await request({
      returnId: 'RA-over',
      orderId: orders.A,
      lines: [{ sku: TEE, quantity: 4, reason: 'defective' }],
    });
    expect(over.status).toBe(409);
    expect(over.body.error.code).toBe('EXCEEDS_SHIPPED');
    expect(over.body.error.details.lines).toEqual([
      { sku: TEE, requested: 4, shipped: 3, alreadyReturned: 0, returnable: 3 },
    ]);
    const notShipped = await request({
      returnId: 'RA-ns',
      orderId: orders.B,
      lines: [{ sku: CAP, quantity: 1, reason: 'other' }],
    });
    expect(notShipped.body.error.code).toBe('EXCEEDS_SHIPPED');
    const reason = await request({
      returnId: 'RA-r',
      orderId: orders.A,
      lines: [{ sku: TEE, quantity: 1, reason: 'bored' }],
    });
    expect([reason.status, reason.body.error.code]).toEqual([422, 'UNKNOWN_REASON_CODE']);
    const order = await request({
      returnId: 'RA-o',
      orderId: 'nope',
      lines: [{ sku: TEE, quantity: 1, reason: 'other' }],
    });
    expect([order.status, order.body.error.code]).toEqual([422, 'UNKNOWN_ORDER']);
    const role = await request(
      { returnId: 'RA-w', orderId: orders.A, lines: [{ sku: TEE, quantity: 1, reason: 'other' }] },
      'warehouse-associate',
    );
    expect(role.status).toBe(403);
    const list = await rt.api('GET', `/api/returns?orderId=${orders.A}`, { role: 'finance' });
    expect(list.body.items).toEqual([]);
    expect((await rt.api('GET', '/api/returns/RA-over')).status).toBe(404);
  });

  it('is idempotent by returnId, and two returns of one order never exceed what shipped', async () => {
    const body = {
      returnId: 'RA1',
      orderId: orders.A,
      lines: [{ sku: TEE, quantity: 2, reason: 'size_or_fit' }],
    };
    const first = await request(body);
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body).toMatchObject({ returnId: 'RA1', status: 'approved', value: 2000 });
    const again = await request(body);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    const other = await request({ ...body, lines: [{ sku: TEE, quantity: 1, reason: 'size_or_fit' }] });
    expect([other.status, other.body.error.code]).toEqual([409, 'RETURN_CONFLICT']);

    const second = await request({
      returnId: 'RA2',
      orderId: orders.A,
      lines: [{ sku: TEE, quantity: 2, reason: 'other' }],
    });
    expect(second.body.error).toMatchObject({ code: 'EXCEEDS_SHIPPED' });
    expect(second.body.error.details.lines[0]).toMatchObject({ alreadyReturned: 2, returnable: 1 });

    // Two requests for the last two TEE of order C at once: exactly one gets them.
    const racing = await Promise.all(
      ['RC-x', 'RC-y'].map((returnId) =>
        request({ returnId, orderId: orders.C, lines: [{ sku: TEE, quantity: 2, reason: 'defective' }] }),
      ),
    );
    expect(racing.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(racing.find((r) => r.status === 409)?.body.error.code).toBe('EXCEEDS_SHIPPED');
  });

  it('needs a supervisor beyond the threshold or the window; approve and reject take a reason', async () => {
    await settings({ ...DEFAULT_POLICY, approvalThreshold: 2000, autoApprove: false });
    const big = await request({
      returnId: 'RA3',
      orderId: orders.A,
      lines: [{ sku: CAP, quantity: 1, reason: 'damaged' }],
    });
    expect(big.status).toBe(201);
    expect(big.body).toMatchObject({
      status: 'pending_approval',
      overThreshold: true,
      requiresSupervisor: true,
    });
    const byService = await rt.api('POST', '/api/returns/RA3/approve', {
      role: 'customer-service',
      body: { reason: 'ok' },
    });
    expect([byService.status, byService.body.error.code]).toEqual([403, 'SUPERVISOR_REQUIRED']);
    const noReason = await rt.api('POST', '/api/returns/RA3/reject', { role: 'supervisor', body: {} });
    expect(noReason.status).toBe(400);
    const rejected = await rt.api('POST', '/api/returns/RA3/reject', {
      role: 'supervisor',
      body: { reason: 'worn' },
    });
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({
      status: 'rejected',
      decision: { outcome: 'rejected', reason: 'worn' },
    });
    const rejectedAgain = await rt.api('POST', '/api/returns/RA3/reject', {
      role: 'supervisor',
      body: { reason: 'worn' },
    });
    expect(rejectedAgain.status).toBe(200);
    expect(rejectedAgain.body.timeline).toEqual(rejected.body.timeline);
    // A rejected return holds no units: the CAP can be returned again, and a supervisor's request is approved at once.
    const bySupervisor = await request(
      { returnId: 'RA4', orderId: orders.A, lines: [{ sku: CAP, quantity: 1, reason: 'damaged' }] },
      'supervisor',
    );
    expect(bySupervisor.body.status).toBe('approved');

    const small = await request({
      returnId: 'RA5',
      orderId: orders.A,
      lines: [{ sku: TEE, quantity: 1, reason: 'other' }],
    });
    expect(small.body.status).toBe('requested');
    const approved = await rt.api('POST', '/api/returns/RA5/approve', {
      role: 'customer-service',
      body: { reason: 'policy' },
    });
    expect(approved.body).toMatchObject({
      status: 'approved',
      decision: { outcome: 'approved', reason: 'policy' },
    });
    const again = await rt.api('POST', '/api/returns/RA5/approve', {
      role: 'customer-service',
      body: { reason: 'policy' },
    });
    expect(again.status).toBe(200);
    expect(again.body.timeline.filter((t: any) => t.what === 'approved')).toHaveLength(1);
    const late = await rt.api('POST', '/api/returns/RA5/reject', {
      role: 'supervisor',
      body: { reason: 'too late' },
    });
    expect([late.status, late.body.error.code]).toEqual([409, 'RETURN_NOT_PENDING']);

    await settings({ ...DEFAULT_POLICY, channelWindowDays: { [SHOP]: 0 } });
    const outside = await request({
      returnId: 'RC-w',
      orderId: orders.C,
      lines: [{ sku: CAP, quantity: 1, reason: 'other' }],
    });
    expect(outside.body).toMatchObject({ status: 'pending_approval', outsideWindow: true });
    const ok = await rt.api('POST', '/api/returns/RC-w/approve', {
      role: 'supervisor',
      body: { reason: 'loyal customer' },
    });
    expect(ok.body.status).toBe('approved');
    await settings(DEFAULT_POLICY);
  });
});

describe('receipt, inspection, refund', () => {
  it('takes a return from receipt through every disposition and a failed then issued refund to its end', async () => {
    const created = await request({
      returnId: 'RB',
      orderId: orders.B,
      lines: [{ sku: TEE, quantity: 5, reason: 'defective' }],
    });
    expect(created.body.status).toBe('approved');
    const tee0 = await at(TEE);
    const cap0 = await at(CAP);

    const early = await rt.api('POST', '/api/returns/RB/inspections', {
      role: 'warehouse-associate',
      body: { lines: [{ sku: TEE, quantity: 1, disposition: 'restock' }] },
    });
    expect([early.status, early.body.error.code]).toEqual([409, 'RETURN_NOT_RECEIVED']);

    const receipt = {
      locationId: SITE,
      lines: [
        { sku: TEE, quantity: 5 },
        { sku: CAP, quantity: 1 },
      ],
    };
    const byService = await rt.api('POST', '/api/returns/RB/receipts', {
      role: 'customer-service',
      body: receipt,
    });
    expect(byService.status).toBe(403);
    const received = await rt.api('POST', '/api/returns/RB/receipts', {
      role: 'warehouse-associate',
      body: receipt,
    });
    expect(received.status, JSON.stringify(received.body)).toBe(200);
    expect(received.body).toMatchObject({ status: 'received', unexpected: [{ sku: CAP, quantity: 1 }] });
    expect(received.body.lines.map((l: any) => [l.sku, l.quantity, l.received])).toEqual([
      [TEE, 5, 5],
      [CAP, 0, 1],
    ]);
    const repeat = await rt.api('POST', '/api/returns/RB/receipts', {
      role: 'warehouse-associate',
      body: receipt,
    });
    expect(repeat.status).toBe(200);
    const changed = await rt.api('POST', '/api/returns/RB/receipts', {
      role: 'warehouse-associate',
      body: { locationId: SITE, lines: [{ sku: TEE, quantity: 4 }] },
    });
    expect([changed.status, changed.body.error.code]).toEqual([409, 'ALREADY_RECEIVED']);
    // Received units are on hand but not sellable until inspected; the retried receipt added nothing.
    expect(await at(TEE)).toEqual({
      ...tee0,
      onHand: tee0.onHand + 5,
      returnedPending: tee0.returnedPending + 5,
    });
    expect(await at(CAP)).toEqual({
      ...cap0,
      onHand: cap0.onHand + 1,
      returnedPending: cap0.returnedPending + 1,
    });
    await rt.settle();
    expect(eventsOf(ReturnReceived, 'RB')).toHaveLength(1);

    const inspect = (body: Record<string, unknown>) =>
      rt.api('POST', '/api/returns/RB/inspections', { role: 'warehouse-associate', body });
    const first = {
      inspectionId: 'RB-i1',
      lines: [
        { sku: TEE, quantity: 1, disposition: 'restock' },
        { sku: TEE, quantity: 1, disposition: 'refurbish' },
        { sku: TEE, quantity: 1, disposition: 'quarantine' },
      ],
    };
    expect((await inspect(first)).status).toBe(200);
    const retried = await inspect(first);
    expect(retried.status).toBe(200);
    expect(retried.body.lines[0].dispositions).toEqual({ restock: 1, refurbish: 1, quarantine: 1 });
    const over = await inspect({
      inspectionId: 'RB-over',
      lines: [{ sku: TEE, quantity: 3, disposition: 'damaged' }],
    });
    expect(over.body.error).toMatchObject({
      code: 'EXCEEDS_RECEIVED',
      details: { lines: [{ sku: TEE, requested: 3, left: 2 }] },
    });
    const second = await inspect({
      inspectionId: 'RB-i2',
      lines: [
        { sku: TEE, quantity: 1, disposition: 'damaged' },
        { sku: TEE, quantity: 1, disposition: 'write_off' },
        { sku: CAP, quantity: 1, disposition: 'restock' },
      ],
    });
    expect(second.body.status).toBe('inspected');
    const done = await inspect({
      inspectionId: 'RB-i3',
      lines: [{ sku: TEE, quantity: 1, disposition: 'restock' }],
    });
    expect(done.body.error.code).toBe('INSPECTION_COMPLETE');

    // Unit for unit: 1 restocked, 2 quarantined (refurbish, quarantine), 1 damaged, 1 written off.
    expect(await at(TEE)).toEqual({
      onHand: tee0.onHand + 4,
      available: tee0.available + 1,
      returnedPending: tee0.returnedPending,
      quarantined: tee0.quarantined + 2,
      damaged: tee0.damaged + 1,
    });
    expect(await at(CAP)).toEqual({ ...cap0, onHand: cap0.onHand + 1, available: cap0.available + 1 });
    await rt.settle();
    const ledger = await rt.api('GET', `/api/inventory/${TEE}/ledger?locationId=${SITE}&limit=500`, {
      role: 'finance',
    });
    const moves = ledger.body.items.filter((m: any) => m.reason.startsWith('return RB'));
    expect(moves.map((m: any) => [m.reason, m.deltas])).toEqual(
      expect.arrayContaining([
        ['return RB received', { onHand: 5, returnedPending: 5 }],
        ['return RB inspected: restock', { returnedPending: -1 }],
        ['return RB inspected: refurbish', { returnedPending: -1, quarantined: 1 }],
        ['return RB inspected: quarantine', { returnedPending: -1, quarantined: 1 }],
        ['return RB inspected: damaged', { returnedPending: -1, damaged: 1 }],
        ['return RB inspected: write_off', { onHand: -1, returnedPending: -1 }],
      ]),
    );
    expect(moves).toHaveLength(6);
    expect(eventsOf(ReturnDispositioned, 'RB')).toHaveLength(2);

    // The workflow asks for the refund of the five authorised units (the unexpected CAP is not refunded).
    const requested = await until(
      () => get('RB'),
      (r) => r.refund.status === 'requested',
      'refund requested',
    );
    expect(requested.refund).toMatchObject({
      status: 'requested',
      amount: 5000,
      currency: 'USD',
      attempt: 1,
    });
    await rt.settle();
    expect(eventsOf(RefundRequested, 'RB').map((e: any) => e.detail.data.attempt)).toEqual([1]);

    const outcome = (body: Record<string, unknown>, role: 'finance' | 'customer-service' = 'finance') =>
      rt.api('POST', '/api/returns/RB/refund', { role, body });
    expect((await outcome({ status: 'issued' }, 'customer-service')).status).toBe(403);
    const failed = await outcome({ status: 'failed', message: 'gateway timeout' });
    expect(failed.body.refund).toMatchObject({ status: 'failed', message: 'gateway timeout' });
    expect((await outcome({ status: 'failed', message: 'gateway timeout' })).status).toBe(200);
    const notNow = await outcome({ status: 'issued' });
    expect([notNow.status, notNow.body.error.code]).toEqual([409, 'REFUND_NOT_REQUESTED']);
    const retry = await rt.api('POST', '/api/returns/RB/refund/retry', { role: 'customer-service' });
    expect(retry.body.refund).toMatchObject({ status: 'requested', attempt: 2 });
    const issued = await outcome({ status: 'issued', reference: 're_123' });
    expect(issued.body.refund).toMatchObject({ status: 'issued', reference: 're_123', amount: 5000 });
    expect((await outcome({ status: 'issued', reference: 're_123' })).status).toBe(200);

    const completed = await until(
      () => get('RB'),
      (r) => r.status === 'completed',
      'return completed',
    );
    expect(completed.timeline.map((t: any) => t.what)).toEqual([
      'requested',
      'approved',
      'received',
      'inspection',
      'inspected',
      'refund requested',
      'refund failed',
      'refund requested',
      'refund issued',
      'completed',
    ]);
    await rt.settle();
    expect(eventsOf(RefundRequested, 'RB').map((e: any) => e.detail.data.attempt)).toEqual([1, 2]);
    expect(eventsOf(RefundFailed, 'RB')).toHaveLength(1);
    expect(eventsOf(RefundIssued, 'RB').map((e: any) => e.detail.data)).toMatchObject([
      { orderId: orders.B, amount: 5000, currency: 'USD', attempt: 2, reference: 're_123' },
    ]);
    await expectStockInvariants(rt, [TEE, CAP]);
  });

  it('refunds a partial return for the units that came back', async () => {
    const winner = (
      await rt.api('GET', `/api/returns?orderId=${orders.C}&status=approved`, { role: 'finance' })
    ).body.items.find((r: any) => r.lines[0].sku === TEE);
    const id = winner.returnId as string;
    const received = await rt.api('POST', `/api/returns/${id}/receipts`, {
      role: 'warehouse-associate',
      body: { locationId: SITE, lines: [{ sku: TEE, quantity: 1 }] },
    });
    expect(received.body.lines).toMatchObject([{ sku: TEE, quantity: 2, received: 1 }]);
    const inspected = await rt.api(`POST`, `/api/returns/${id}/inspections`, {
      role: 'inventory-controller',
      body: { inspectionId: `${id}-i1`, lines: [{ sku: TEE, quantity: 1, disposition: 'restock' }] },
    });
    expect(inspected.body.status).toBe('inspected');
    const requested = await until(
      () => get(id),
      (r) => r.refund.status === 'requested',
      'refund requested',
    );
    expect(requested.refund.amount).toBe(1000);
    await rt.api('POST', `/api/returns/${id}/refund`, { role: 'finance', body: { status: 'issued' } });
    await until(
      () => get(id),
      (r) => r.status === 'completed',
      'return completed',
    );
    const byStatus = await rt.api('GET', '/api/returns?status=completed', { role: 'warehouse-associate' });
    expect(byStatus.body.items.map((r: any) => r.returnId).sort()).toEqual(['RB', id].sort());
  });

  it('places an exchange as a linked replacement order that goes through release, and refunds nothing for the swap', async () => {
    const created = await request({
      returnId: 'RD',
      orderId: orders.D,
      lines: [{ sku: TEE, quantity: 1, reason: 'size_or_fit' }],
      exchange: { lines: [{ sku: CAP, quantity: 1 }] },
    });
    expect(created.body).toMatchObject({
      status: 'approved',
      exchange: { lines: [{ sku: CAP, quantity: 1 }] },
    });
    const unknown = await request({
      returnId: 'RD-x',
      orderId: orders.D,
      lines: [{ sku: TEE, quantity: 1, reason: 'other' }],
      exchange: { lines: [{ sku: 'NO-SUCH-SKU', quantity: 1 }] },
    });
    expect([unknown.status, unknown.body.error.code]).toEqual([422, 'UNKNOWN_SKU']);

    await rt.api('POST', '/api/returns/RD/receipts', {
      role: 'warehouse-associate',
      body: { locationId: SITE, lines: [{ sku: TEE, quantity: 1 }] },
    });
    const linked = await until(
      () => get('RD'),
      (r) => Boolean(r.exchange?.orderId),
      'exchange placed',
    );
    const replacement = await waitForStatus(rt, linked.exchange.orderId, 'released');
    expect(replacement.lines.map((l: any) => [l.sku, l.quantity, l.unitPrice])).toEqual([[CAP, 1, 0]]);

    await rt.api('POST', '/api/returns/RD/inspections', {
      role: 'warehouse-associate',
      body: { inspectionId: 'RD-i1', lines: [{ sku: TEE, quantity: 1, disposition: 'restock' }] },
    });
    const done = await until(
      () => get('RD'),
      (r) => r.status === 'completed',
      'return completed',
    );
    expect(done.refund).toMatchObject({ status: 'not_required', amount: 0 });
    expect(done.exchange.orderId).toBe(linked.exchange.orderId);
    await rt.settle();
    expect(eventsOf(RefundRequested, 'RD')).toEqual([]);
  });
});
