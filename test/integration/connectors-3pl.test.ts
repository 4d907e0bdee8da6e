import { randomBytes, randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderIdFor } from '../../functions/orders/keys.ts';
import { type FakeThreePL, startFakeThreePL } from '../support/fakes/threepl.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';
import {
  positions,
  putChannel,
  putSku,
  releaseEvents,
  sendOrder,
  stock,
  waitForStatus,
} from '../workflows/order-release-helpers.ts';

/** 3PL hand-off, webhooks and reconciliation through the local runtime, against a fake 3PL API. */
let rt: TestRuntime;
let tpl: FakeThreePL;
const TOKEN = 'tpl-api-token-123';
const SECRET = `whsec_${randomBytes(24).toString('base64')}`;
const saved: Record<string, string | undefined> = {};

const locationBody = (connection: Record<string, unknown>) => ({
  name: 'Fulfilled by Acme 3PL',
  type: '3pl',
  address: { line1: '9 Dock Rd', city: 'Dallas', region: 'TX', postalCode: '75201', country: 'US' },
  connection,
});

beforeAll(async () => {
  saved.QM_CONNECTOR_BACKOFF_MS = process.env.QM_CONNECTOR_BACKOFF_MS;
  process.env.QM_CONNECTOR_BACKOFF_MS = '20';
  tpl = await startFakeThreePL({ token: TOKEN });
  rt = await startTestRuntime();
  for (const sku of ['TEE', 'CAP', 'MUG']) await putSku(rt, sku);
  const put = await rt.api('PUT', '/api/locations/TPL', {
    body: locationBody({
      provider: 'generic',
      apiBaseUrl: tpl.url,
      accessToken: TOKEN,
      webhookSecret: SECRET,
    }),
  });
  expect(put.status, JSON.stringify(put.body)).toBe(201);
  await putChannel(rt, 'web3pl', { locationIds: ['TPL'] });
  await stock(rt, 'TEE', 'TPL', 10);
  await stock(rt, 'CAP', 'TPL', 5);
  await rt.settle();
}, 120_000);

afterAll(async () => {
  await rt?.stop();
  await tpl?.close();
  if (saved.QM_CONNECTOR_BACKOFF_MS === undefined) delete process.env.QM_CONNECTOR_BACKOFF_MS;
  else process.env.QM_CONNECTOR_BACKOFF_MS = saved.QM_CONNECTOR_BACKOFF_MS;
});

/** Sends a Standard Webhooks message to the 3PL route; `at` and `secret` let a test forge or age it. */
async function webhook(
  body: unknown,
  opts: { id?: string; at?: Date; secret?: string; locationId?: string } = {},
): Promise<{ status: number; body: any }> {
  const id = opts.id ?? `msg_${randomUUID()}`;
  const at = opts.at ?? new Date();
  const payload = JSON.stringify(body);
  const res = await fetch(`${rt.url}/webhooks/3pl/${opts.locationId ?? 'TPL'}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': new Webhook(opts.secret ?? SECRET).sign(id, at, payload),
    },
    body: payload,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

const shippedBody = (referenceId: string, lines: { sku: string; quantity: number }[]) => ({
  type: 'shipment.shipped',
  data: {
    referenceId,
    carrier: 'UPS',
    service: 'Ground',
    trackingNumber: `1Z-${referenceId.slice(-6)}`,
    trackingUrl: 'https://www.ups.com/track?tracknum=1Z',
    lines,
    shippedAt: new Date().toISOString(),
  },
});

const threePLOrders = async () => {
  const res = await rt.api('GET', '/api/locations/TPL/3pl-orders', { role: 'customer-service' });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.items as any[];
};

/** An order for the 3PL node, released and handed off. */
async function handedOff(lines: { sku: string; quantity: number }[]) {
  const orderId = await sendOrder(rt, 'web3pl', { lines });
  await waitForStatus(rt, orderId, 'released');
  await rt.settle();
  return orderId;
}

describe('3PL connection', () => {
  it('keeps the token and webhook secret out of every answer; a bad connection is a 400', async () => {
    const res = await rt.api('GET', '/api/locations/TPL');
    expect(res.body.connection).toMatchObject({
      provider: 'generic',
      apiBaseUrl: tpl.url,
      hasAccessToken: true,
      hasWebhookSecret: true,
    });
    const list = await rt.api('GET', '/api/locations');
    for (const text of [JSON.stringify(res.body), JSON.stringify(list.body)]) {
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain('locations/TPL/');
    }
    const bad = [
      ['TPL2', locationBody({ provider: 'generic', apiBaseUrl: tpl.url, webhookSecret: 'not-a-whsec' })],
      ['TPL3', locationBody({ provider: 'generic', apiBaseUrl: tpl.url })],
      ['TPL4', locationBody({ provider: 'fedex', apiBaseUrl: tpl.url, webhookSecret: SECRET })],
      [
        'WH9',
        {
          ...locationBody({ provider: 'generic', apiBaseUrl: tpl.url, webhookSecret: SECRET }),
          type: 'warehouse',
        },
      ],
    ] as const;
    for (const [id, body] of bad) {
      const out = await rt.api('PUT', `/api/locations/${id}`, { body });
      expect(out.status, `${id}: ${JSON.stringify(out.body)}`).toBe(400);
      expect(out.body.error.code).toBe('VALIDATION_FAILED');
    }
    expect((await rt.api('GET', '/api/locations/TPL2')).status).toBe(404);
  });
});

describe('3PL hand-off', () => {
  it('creates exactly one 3PL order through 429 and 503, however often the request is redelivered', async () => {
    tpl.faults.rateLimitNext = 1;
    tpl.faults.retryAfter = '0';
    tpl.faults.unavailableNext = 1;
    const orderId = await handedOff([{ sku: 'TEE', quantity: 2 }]);
    expect(tpl.orders.get(orderId)?.body).toMatchObject({
      referenceId: orderId,
      channelId: 'web3pl',
      lines: [{ sku: 'TEE', quantity: 2 }],
      shipTo: { city: 'Portland', country: 'US' },
    });
    expect(tpl.requests.filter((r) => r.path === '/orders').map((r) => r.status)).toEqual([429, 503, 201]);
    // The same request three more times, two of them racing.
    const requested: any = releaseEvents(rt, 'ThreePLOrderRequested', orderId)[0];
    const entry = {
      Source: requested.source,
      DetailType: requested['detail-type'],
      Detail: JSON.stringify(requested.detail),
    };
    await Promise.all([rt.bus.putEvents([entry]), rt.bus.putEvents([entry])]);
    await rt.bus.putEvents([entry]);
    await rt.settle();
    expect([...tpl.orders.keys()].filter((k) => k === orderId)).toHaveLength(1);
    expect(tpl.requests.filter((r) => r.path === '/orders' && r.status === 201)).toHaveLength(1);
    const part = (await threePLOrders()).find((o) => o.orderId === orderId);
    expect(part).toMatchObject({
      handoff: 'sent',
      status: 'requested',
      providerOrderId: String(tpl.orders.get(orderId)?.id),
    });
    expect(part).not.toHaveProperty('leaseOwner');
    expect(rt.bus.deadLetters.filter((d) => d.rule.startsWith('connectors-'))).toEqual([]);
  }, 60_000);
});

describe('3PL hand-off to ShipBob', () => {
  it('sends ShipBob’s order shape, and takes its duplicate-reference refusal as created', async () => {
    const put = await rt.api('PUT', '/api/locations/TPLB', {
      body: locationBody({
        provider: 'shipbob',
        apiBaseUrl: tpl.url,
        accessToken: TOKEN,
        webhookSecret: SECRET,
      }),
    });
    expect(put.status, JSON.stringify(put.body)).toBe(201);
    await putChannel(rt, 'webship', { locationIds: ['TPLB'] });
    await stock(rt, 'TEE', 'TPLB', 5);
    const fresh = await sendOrder(rt, 'webship', { lines: [{ sku: 'TEE', quantity: 1 }] });
    // The 3PL already has this one (as after a crash between its answer and our record).
    const known = orderIdFor('webship', 'ext-shipbob-known');
    tpl.orders.set(known, { id: 77, body: {} });
    await sendOrder(rt, 'webship', { externalId: 'ext-shipbob-known', lines: [{ sku: 'TEE', quantity: 1 }] });
    await waitForStatus(rt, fresh, 'released');
    await waitForStatus(rt, known, 'released');
    await rt.settle();
    expect(tpl.orders.get(fresh)?.body).toMatchObject({
      reference_id: fresh,
      shipping_method: 'standard',
      recipient: { name: 'Sam Doe', address: { address1: '1 Main St', zip_code: '97201', country: 'US' } },
      products: [{ reference_id: 'TEE', quantity: 1 }],
    });
    expect(
      tpl.requests
        .filter((r) => r.path === '/order')
        .map((r) => r.status)
        .sort(),
    ).toEqual([201, 422]);
    const parts = await rt.api('GET', '/api/locations/TPLB/3pl-orders');
    const byId = new Map(parts.body.items.map((o: any) => [o.orderId, o]));
    expect(byId.get(known)).toMatchObject({ handoff: 'sent', providerOrderId: known });
    expect(byId.get(fresh)).toMatchObject({
      handoff: 'sent',
      providerOrderId: String(tpl.orders.get(fresh)?.id),
    });
  }, 60_000);
});

describe('3PL webhooks', () => {
  it('ships the order and consumes its stock exactly once under 5 concurrent redeliveries', async () => {
    const before = (await positions(rt, 'TEE')).TPL;
    const orderId = await handedOff([{ sku: 'TEE', quantity: 3 }]);
    expect((await positions(rt, 'TEE')).TPL).toMatchObject({
      onHand: before.onHand,
      reserved: before.reserved + 3,
    });
    const body = shippedBody(orderId, [{ sku: 'TEE', quantity: 3 }]);
    const id = `msg_${randomUUID()}`;
    const answers = await Promise.all(Array.from({ length: 5 }, () => webhook(body, { id })));
    for (const a of answers) expect(a.status, JSON.stringify(a.body)).toBe(200);
    // A 3PL that re-sends it as a new message changes nothing either.
    expect((await webhook(body)).status).toBe(200);
    await waitForStatus(rt, orderId, 'shipped');
    await rt.settle();
    expect((await positions(rt, 'TEE')).TPL).toMatchObject({
      onHand: before.onHand - 3,
      reserved: before.reserved,
    });
    const confirmed: any[] = releaseEvents(rt, 'ShipmentConfirmed', orderId);
    expect(confirmed).toHaveLength(1);
    expect(confirmed[0].detail.data).toMatchObject({
      locationId: 'TPL',
      carrier: 'UPS',
      lines: [{ sku: 'TEE', quantity: 3 }],
    });
    const check = await rt.api('POST', '/api/inventory/checks', { body: { sku: 'TEE' } });
    expect(check.body.mismatches).toEqual([]);
    const again = await webhook(body, { id });
    expect(again.body).toEqual({ result: 'duplicate' });
  }, 60_000);

  it('refuses a forged, stale or unknown-location message with 401 and writes nothing', async () => {
    const before = (await positions(rt, 'TEE')).TPL;
    const orderId = await handedOff([{ sku: 'TEE', quantity: 1 }]);
    const body = shippedBody(orderId, [{ sku: 'TEE', quantity: 1 }]);
    const id = `msg_${randomUUID()}`;
    const forged = await webhook(body, { id, secret: `whsec_${randomBytes(24).toString('base64')}` });
    const stale = await webhook(body, { id, at: new Date(Date.now() - 6 * 60_000) });
    const elsewhere = await webhook(body, { id, locationId: 'NOPE' });
    for (const r of [forged, stale, elsewhere]) {
      expect(r.status).toBe(401);
      expect(r.body.error.code).toBe('UNAUTHORIZED');
    }
    await rt.settle();
    expect((await positions(rt, 'TEE')).TPL).toMatchObject({
      onHand: before.onHand,
      reserved: before.reserved + 1,
    });
    expect(releaseEvents(rt, 'ShipmentConfirmed', orderId)).toHaveLength(0);
    expect((await threePLOrders()).find((o) => o.orderId === orderId)?.status).toBe('requested');
    // The id was not remembered: the genuine message with it is still taken.
    const genuine = await webhook(body, { id });
    expect(genuine.body).toMatchObject({ result: 'shipped', orderId });
  }, 60_000);

  it('shows a hold, an exception and a cancellation on the order part; a shipment stays shipped', async () => {
    const orderId = await handedOff([{ sku: 'CAP', quantity: 1 }]);
    const hold = await webhook({
      type: 'order.on_hold',
      data: { referenceId: orderId, reason: 'address check' },
    });
    expect(hold.body).toMatchObject({ result: 'noted', status: 'on_hold' });
    let part = (await threePLOrders()).find((o) => o.orderId === orderId);
    expect(part).toMatchObject({ status: 'on_hold', reason: 'address check' });
    await webhook({ type: 'shipment.exception', data: { referenceId: orderId, message: 'carrier refused' } });
    await webhook({ type: 'order.cancelled', data: { referenceId: orderId, reason: 'out of stock at 3PL' } });
    part = (await threePLOrders()).find((o) => o.orderId === orderId);
    expect(part.status).toBe('cancelled');
    expect(part.history.map((h: any) => h.type)).toEqual([
      'order.on_hold',
      'shipment.exception',
      'order.cancelled',
    ]);
    await rt.settle();
    expect(
      rt.bus
        .events({ detailType: 'ThreePLOrderStatusChanged' })
        .filter((e: any) => e.detail.data.orderId === orderId),
    ).toHaveLength(3);
    const unknown = await webhook({ type: 'order.on_hold', data: { referenceId: 'no-such-order' } });
    expect(unknown.status).toBe(409);
    expect(unknown.body.error.code).toBe('UNKNOWN_REFERENCE');
    const invalid = await webhook({ type: 'shipment.shipped', data: { referenceId: orderId } });
    expect(invalid.status).toBe(400);
  }, 60_000);
});

describe('3PL reconciliation', () => {
  it('turns snapshot differences into an open reconciliation; stock changes only when it is approved', async () => {
    await rt.settle();
    const ours = {
      TEE: (await positions(rt, 'TEE')).TPL.onHand,
      CAP: (await positions(rt, 'CAP')).TPL.onHand,
    };
    const snapshot = {
      type: 'inventory.snapshot',
      data: {
        asOf: new Date().toISOString(),
        // TEE agrees, CAP is 2 short at the 3PL, MUG is there though we never had it.
        items: [
          { sku: 'TEE', onHand: ours.TEE },
          { sku: 'CAP', onHand: ours.CAP - 2 },
          { sku: 'MUG', onHand: 4 },
        ],
      },
    };
    const first = await webhook(snapshot);
    expect(first.body).toMatchObject({ result: 'reconciliation', differences: 2 });
    // The same snapshot again (a new message): the same reconciliation.
    const second = await webhook(snapshot);
    expect(second.body.reconciliationId).toBe(first.body.reconciliationId);
    await rt.settle();
    const list = await rt.api('GET', '/api/reconciliations?locationId=TPL&status=open', {
      role: 'supervisor',
    });
    expect(list.status).toBe(200);
    expect(list.body.items).toHaveLength(1);
    const rec = list.body.items[0];
    expect(rec.lines).toEqual([
      { sku: 'CAP', ours: expect.objectContaining({ onHand: ours.CAP }), reported: ours.CAP - 2, delta: -2 },
      { sku: 'MUG', ours: { onHand: 0, reserved: 0, available: 0 }, reported: 4, delta: 4 },
    ]);
    // One event per difference: a re-sent snapshot re-sends the identical events (same ids).
    const mismatches = rt.bus
      .events({ detailType: 'InventoryMismatchDetected', source: 'qm.connectors' })
      .filter((e: any) => e.detail.data.reconciliationId === rec.reconciliationId);
    const byId = new Map(mismatches.map((e: any) => [e.detail.metadata.eventId, e.detail.data]));
    expect([...byId.values()].map((d: any) => [d.sku, d.delta]).sort()).toEqual([
      ['CAP', -2],
      ['MUG', 4],
    ]);
    // Nothing moved yet.
    expect((await positions(rt, 'CAP')).TPL.onHand).toBe(ours.CAP);
    expect((await positions(rt, 'MUG')).TPL).toBeUndefined();

    const path = `/api/reconciliations/${rec.reconciliationId}/approve`;
    const denied = await rt.api('POST', path, { role: 'warehouse-associate', body: { note: 'counted' } });
    expect(denied.status).toBe(403);
    expect((await rt.api('POST', path, { body: {} })).status).toBe(400);
    const approved = await rt.api('POST', path, {
      role: 'inventory-controller',
      body: { note: '3PL count confirmed' },
    });
    expect(approved.status, JSON.stringify(approved.body)).toBe(201);
    expect(approved.body).toMatchObject({ status: 'approved', note: '3PL count confirmed' });
    const again = await rt.api('POST', path, { body: { note: 'twice' } });
    expect(again.status).toBe(200);
    await rt.settle();
    expect((await positions(rt, 'CAP')).TPL.onHand).toBe(ours.CAP - 2);
    expect((await positions(rt, 'MUG')).TPL.onHand).toBe(4);
    const ledger = await rt.api('GET', '/api/inventory/CAP/ledger');
    expect(JSON.stringify(ledger.body)).toContain(`3PL reconciliation ${rec.reconciliationId}`);
    const open = await rt.api('GET', '/api/reconciliations?locationId=TPL&status=open');
    expect(open.body.items).toHaveLength(0);
    expect((await rt.api('GET', '/api/reconciliations?status=approved')).body.items).toHaveLength(1);
    expect(
      (await rt.api('POST', '/api/reconciliations/rec-nope/approve', { body: { note: 'x' } })).status,
    ).toBe(404);
  }, 60_000);
});
