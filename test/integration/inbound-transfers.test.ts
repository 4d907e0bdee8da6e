import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';

/** Transfers between locations through the local runtime: create, ship, in transit, receive with variances. */
let rt: TestRuntime;

beforeAll(async () => {
  rt = await startTestRuntime();
  for (const loc of ['TFROM', 'TTO'])
    await rt.api('PUT', `/api/locations/${loc}`, { body: { name: loc, type: 'warehouse' } });
  for (const sku of ['TX', 'TY', 'TZ']) await rt.api('PUT', `/api/skus/${sku}`, { body: { name: sku } });
  const bin = await rt.api('PUT', '/api/locations/TFROM/bins/S-01', {
    body: { zone: 'S', walkOrder: 1, type: 'pick' },
    role: 'supervisor',
  });
  expect(bin.status, JSON.stringify(bin.body)).toBe(201);
  for (const [sku, quantity] of [
    ['TX', 20],
    ['TY', 5],
    ['TZ', 1],
  ] as const) {
    const res = await rt.api('POST', '/api/inventory/receipts', {
      body: {
        sku,
        locationId: 'TFROM',
        quantity,
        binId: 'S-01',
        reason: 'opening',
        idempotencyKey: `opening-${sku}`,
      },
    });
    expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
  }
}, 120_000);
afterAll(() => rt?.stop());

const at = async (sku: string, locationId: string) => {
  const res = await rt.api('GET', `/api/inventory/${sku}`);
  expect(res.status).toBe(200);
  return {
    position: res.body.positions.find((p: { locationId: string }) => p.locationId === locationId),
    incoming: res.body.incoming?.find((i: { locationId: string }) => i.locationId === locationId),
  };
};
const events = async (detailType: string, transferId: string) => {
  await rt.settle();
  return rt.bus
    .events({ detailType })
    .filter((e: any) => e.detail?.data?.transferId === transferId)
    .map((e: any) => e.detail);
};
const body = {
  transferId: 'T-1',
  fromLocationId: 'TFROM',
  toLocationId: 'TTO',
  lines: [
    { sku: 'TX', quantity: 12 },
    { sku: 'TY', quantity: 5 },
  ],
};

describe('transfers', () => {
  it('refuses what cannot be a transfer with a clear 4xx and writes nothing', async () => {
    const same = await rt.api('POST', '/api/transfers', {
      body: { ...body, transferId: 'T-BAD', toLocationId: 'TFROM' },
    });
    expect(same.status).toBe(400);
    expect(same.body.error.code).toBe('VALIDATION_FAILED');
    const unknown = await rt.api('POST', '/api/transfers', {
      body: { ...body, transferId: 'T-BAD', toLocationId: 'NOWHERE' },
    });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.code).toBe('UNKNOWN_LOCATION');
    expect((await rt.api('GET', '/api/transfers/T-BAD')).status).toBe(404);
    const associate = await rt.api('POST', '/api/transfers', { body, role: 'warehouse-associate' });
    expect(associate.status).toBe(403);
  });

  it('ships out of the source, shows in transit with its expected day, receives with variances, once', async () => {
    const created = await rt.api('POST', '/api/transfers', { body, role: 'inventory-controller' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ transferId: 'T-1', status: 'created' });
    expect((await rt.api('POST', '/api/transfers', { body })).status).toBe(200);
    const other = await rt.api('POST', '/api/transfers', {
      body: { ...body, lines: [{ sku: 'TX', quantity: 1 }] },
    });
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('TRANSFER_CONFLICT');

    const early = await rt.api('POST', '/api/transfers/T-1/receive', {
      body: { lines: [{ sku: 'TX', quantity: 12 }] },
      role: 'warehouse-associate',
    });
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('TRANSFER_NOT_SHIPPED');

    const shipped = await rt.api('POST', '/api/transfers/T-1/ship', {
      body: { expectedAt: '2026-12-24' },
      role: 'warehouse-associate',
    });
    expect(shipped.status, JSON.stringify(shipped.body)).toBe(200);
    expect(shipped.body).toMatchObject({ status: 'shipped', expectedAt: '2026-12-24' });
    const again = await rt.api('POST', '/api/transfers/T-1/ship', { role: 'warehouse-associate' });
    expect(again.body).toEqual(shipped.body);

    // The units left the source (its bin too) and are in transit at the destination, dated.
    const tx = await at('TX', 'TFROM');
    expect(tx.position).toMatchObject({ onHand: 8, available: 8, reserved: 0 });
    expect(
      (await rt.api('GET', '/api/locations/TFROM/bins')).body.items.find((b: any) => b.binId === 'S-01')
        .contents,
    ).toEqual([
      { sku: 'TX', quantity: 8 },
      { sku: 'TZ', quantity: 1 },
    ]);
    const arriving = await at('TX', 'TTO');
    expect(arriving.position).toMatchObject({ onHand: 0, inTransit: 12 });
    expect(arriving.incoming).toEqual({
      locationId: 'TTO',
      quantity: 12,
      purchaseOrders: [],
      transfers: [{ transferId: 'T-1', fromLocationId: 'TFROM', expectedAt: '2026-12-24', quantity: 12 }],
    });
    expect((await at('TY', 'TFROM')).position).toMatchObject({ onHand: 0 });
    await rt.settle();
    const ledger = await rt.api('GET', '/api/inventory/TX/ledger?locationId=TFROM&order=desc&limit=1');
    expect(ledger.body.items[0]).toMatchObject({ kind: 'consume', delta: -12, reservationId: 'xfer:T-1' });

    const alien = await rt.api('POST', '/api/transfers/T-1/receive', {
      body: { lines: [{ sku: 'TZ', quantity: 1 }] },
      role: 'warehouse-associate',
    });
    expect(alien.status).toBe(409);
    expect(alien.body.error.code).toBe('NOT_ON_TRANSFER');

    // 10 of 12 TX arrived, 6 TY for 5 shipped: both variances recorded, every unit received.
    const count = {
      lines: [
        { sku: 'TX', quantity: 10 },
        { sku: 'TY', quantity: 6 },
      ],
    };
    const received = await rt.api('POST', '/api/transfers/T-1/receive', {
      body: count,
      role: 'warehouse-associate',
    });
    expect(received.status, JSON.stringify(received.body)).toBe(200);
    expect(received.body).toMatchObject({
      status: 'received',
      variances: [
        { sku: 'TX', shipped: 12, received: 10, variance: -2 },
        { sku: 'TY', shipped: 5, received: 6, variance: 1 },
      ],
    });
    const repeat = await rt.api('POST', '/api/transfers/T-1/receive', {
      body: count,
      role: 'warehouse-associate',
    });
    expect(repeat.status).toBe(200);
    expect(repeat.body).toEqual(received.body);
    const recount = await rt.api('POST', '/api/transfers/T-1/receive', {
      body: { lines: [{ sku: 'TX', quantity: 12 }] },
      role: 'warehouse-associate',
    });
    expect(recount.status).toBe(409);
    expect(recount.body.error.code).toBe('TRANSFER_ALREADY_RECEIVED');

    const landed = await at('TX', 'TTO');
    expect(landed.position).toMatchObject({ onHand: 10, available: 10, inTransit: 0 });
    expect(landed.incoming).toBeUndefined();
    expect((await at('TY', 'TTO')).position).toMatchObject({ onHand: 6, inTransit: 0 });
    expect(
      (await rt.api('GET', '/api/locations/TTO/bins')).body.items.find((b: any) => b.binId === 'RECEIVING')
        .contents,
    ).toEqual([
      { sku: 'TX', quantity: 10 },
      { sku: 'TY', quantity: 6 },
    ]);
    expect((await rt.api('GET', '/api/transfers/T-1', { role: 'finance' })).body).toEqual(received.body);

    const shippedEvents = await events('TransferShipped', 'T-1');
    expect(new Set(shippedEvents.map((d: any) => d.metadata.eventId)).size).toBe(1);
    expect(shippedEvents[0].data).toMatchObject({ expectedAt: '2026-12-24', lines: body.lines });
    const receivedEvents = await events('TransferReceived', 'T-1');
    expect(new Set(receivedEvents.map((d: any) => d.metadata.eventId)).size).toBe(1);
    expect(receivedEvents[0].data.lines).toEqual(received.body.variances);
    expect(rt.bus.deadLetters).toEqual([]);
    for (const sku of ['TX', 'TY']) {
      const check = await rt.api('POST', '/api/inventory/checks', { body: { sku } });
      expect(check.body.mismatches, JSON.stringify(check.body.mismatches)).toEqual([]);
    }
  });

  it('ships nothing when the source is short of any line', async () => {
    const res = await rt.api('POST', '/api/transfers', {
      body: {
        transferId: 'T-2',
        fromLocationId: 'TFROM',
        toLocationId: 'TTO',
        lines: [
          { sku: 'TX', quantity: 3 },
          { sku: 'TZ', quantity: 2 },
        ],
      },
    });
    expect(res.status).toBe(201);
    const ship = await rt.api('POST', '/api/transfers/T-2/ship', { role: 'supervisor' });
    expect(ship.status).toBe(409);
    expect(ship.body.error.code).toBe('INSUFFICIENT_STOCK');
    expect((await rt.api('GET', '/api/transfers/T-2')).body.status).toBe('created');
    expect((await at('TX', 'TFROM')).position).toMatchObject({ onHand: 8, available: 8, reserved: 0 });
    expect((await at('TZ', 'TFROM')).position).toMatchObject({ onHand: 1, available: 1 });
    expect((await at('TX', 'TTO')).position).toMatchObject({ inTransit: 0 });
    const ids = async (status: string) =>
      (await rt.api('GET', `/api/transfers?status=${status}`, { role: 'customer-service' })).body.items.map(
        (t: { transferId: string }) => t.transferId,
      );
    expect(await ids('created')).toEqual(['T-2']);
    expect(await ids('received')).toEqual(['T-1']);
    expect(await ids('shipped')).toEqual([]);
    expect((await rt.api('GET', '/api/transfers?status=lost')).status).toBe(400);
  });
});
