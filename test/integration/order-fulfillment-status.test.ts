import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  FulfillmentPacked,
  PickShorted,
  ShipmentConfirmed,
  WaveReleased,
} from '../../functions/fulfillment/api.ts';
import { createEvent, type EventDefinition } from '../../functions/shared/events.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';
import {
  getOrder,
  positions,
  putChannel,
  putLocation,
  putSku,
  releaseEvents,
  sendOrder,
  stock,
  waitForStatus,
} from '../workflows/order-release-helpers.ts';

/*
 * Orders follow fulfillment: real released orders, with fulfillment's events put on the local bus
 * as fulfillment publishes them (the fulfillment context itself is exercised in its own tests).
 */
let rt: TestRuntime;

beforeAll(async () => {
  rt = await startTestRuntime();
  for (const sku of ['TEE', 'CAP', 'MUG', 'HAT']) await putSku(rt, sku);
  await putLocation(rt, 'WH1', 'warehouse', 'US', 'OR');
  await putLocation(rt, 'WH2', 'warehouse', 'US', 'OR');
  await putChannel(rt, 'web', { locationIds: ['WH1', 'WH2'], allowSplit: true });
  await stock(rt, 'TEE', 'WH1', 10);
  await stock(rt, 'CAP', 'WH2', 10);
  await stock(rt, 'MUG', 'WH1', 5);
  await stock(rt, 'MUG', 'WH2', 5);
  await stock(rt, 'HAT', 'WH1', 2);
}, 120_000);

afterAll(async () => {
  await rt?.stop();
});

/** One bus entry as fulfillment would publish it; putting the same entry again is a redelivery. */
function entry<T extends z.ZodType>(def: EventDefinition<T>, data: z.input<T>) {
  const e = createEvent(def, data, { correlationId: 'c-fulfillment-status' });
  return { Source: e.source, DetailType: e.detailType, Detail: JSON.stringify(e.detail) };
}

async function put(...entries: ReturnType<typeof entry>[]) {
  const out = await rt.bus.putEvents(entries);
  expect(out.FailedEntryCount).toBe(0);
  await rt.settle();
}

const reservationOf = (orderId: string, locationId: string, round: number) =>
  `order:${orderId}:${locationId}:${round}`;

const at = () => new Date().toISOString();

const wave = (orderId: string, fulfillmentId: string, waveId = `W-${orderId}`) =>
  entry(WaveReleased, {
    waveId,
    locationId: 'WH1',
    fulfillmentIds: [fulfillmentId],
    orderIds: [orderId],
    taskCount: 1,
    releasedAt: at(),
  });

const packed = (orderId: string, fulfillmentId: string, locationId = 'WH1') =>
  entry(FulfillmentPacked, {
    fulfillmentId,
    orderId,
    locationId,
    packages: [{ weightGrams: 400, lengthMm: 300, widthMm: 200, heightMm: 50 }],
    at: at(),
  });

const shipped = (
  orderId: string,
  fulfillmentId: string,
  locationId: string,
  lines: { lineId: string; sku: string; quantity: number }[],
) =>
  entry(ShipmentConfirmed, {
    shipmentId: fulfillmentId,
    fulfillmentId,
    orderId,
    channelId: 'web',
    externalId: 'ext',
    locationId,
    reservationId: fulfillmentId,
    lines,
    carrier: 'UPS',
    service: 'ground',
    trackingNumber: `1Z-${locationId}`,
    trackingUrl: `https://track.example/1Z-${locationId}`,
    packages: 1,
    shippedAt: at(),
  });

const shorted = (
  orderId: string,
  fulfillmentId: string,
  line: { lineId: string; sku: string; quantity: number },
) =>
  entry(PickShorted, {
    fulfillmentId,
    orderId,
    channelId: 'web',
    locationId: 'WH1',
    reservationId: fulfillmentId,
    taskId: `T-${orderId}`,
    binId: 'A-01',
    lines: [line],
    reason: 'not in bin',
    at: at(),
  });

/** Dead letters of the orders context's rules (fulfillment's own consumers are not under test). */
const ordersDeadLetters = () =>
  rt.bus.deadLetters.filter((d) => d.rule.startsWith('order')).map((d) => `${d.rule}: ${d.error}`);

const distinctReleases = (orderId: string, locationId: string) =>
  new Set(
    releaseEvents(rt, 'OrderReleased', orderId)
      .filter((e: any) => e.detail.data.locationId === locationId)
      .map((e: any) => e.detail.metadata.eventId),
  );

describe('order status follows fulfillment', () => {
  it('goes picking → packed → shipped with the carrier and tracking on the order; late and repeated events change nothing', async () => {
    const orderId = await sendOrder(rt, 'web', { lines: [{ sku: 'TEE', quantity: 2 }] });
    await waitForStatus(rt, orderId, 'released');
    const fid = reservationOf(orderId, 'WH1', 0);

    await put(wave(orderId, fid));
    const picking = await getOrder(rt, orderId);
    expect(picking.status).toBe('picking');
    expect(picking.shipments[fid].fulfillment).toMatchObject({ status: 'picking', waveId: `W-${orderId}` });

    await put(packed(orderId, fid));
    expect((await getOrder(rt, orderId)).status).toBe('packed');

    // A wave event arriving late (after packing) does not move the order back.
    await put(wave(orderId, fid, 'W-late'));
    expect((await getOrder(rt, orderId)).status).toBe('packed');

    const confirmation = shipped(orderId, fid, 'WH1', [{ lineId: 'L1', sku: 'TEE', quantity: 2 }]);
    await put(confirmation);
    const done = await getOrder(rt, orderId);
    expect(done.status).toBe('shipped');
    expect(done.shipments[fid]).toMatchObject({
      status: 'shipped',
      fulfillment: {
        status: 'shipped',
        carrier: 'UPS',
        service: 'ground',
        trackingNumber: '1Z-WH1',
        trackingUrl: 'https://track.example/1Z-WH1',
        lines: [{ lineId: 'L1', sku: 'TEE', quantity: 2 }],
        shippedAt: expect.any(String),
      },
    });
    expect(done.statusHistory.map((h: any) => h.status).slice(-4)).toEqual([
      'released',
      'picking',
      'packed',
      'shipped',
    ]);

    // Redelivered: nothing is written twice.
    await put(confirmation, packed(orderId, fid));
    const again = await getOrder(rt, orderId);
    expect(again.releaseVersion).toBe(done.releaseVersion);
    expect(again.statusHistory).toEqual(done.statusHistory);
    expect(ordersDeadLetters()).toEqual([]);
  });

  it('is partially_shipped while one node’s part is out, and shipped when the other’s follows', async () => {
    const orderId = await sendOrder(rt, 'web', {
      lines: [
        { sku: 'TEE', quantity: 1 },
        { sku: 'CAP', quantity: 1 },
      ],
    });
    const released = await waitForStatus(rt, orderId, 'released');
    const [east, west] = [reservationOf(orderId, 'WH1', 0), reservationOf(orderId, 'WH2', 0)];
    expect(Object.keys(released.shipments).sort()).toEqual([east, west]);

    await put(shipped(orderId, east, 'WH1', [{ lineId: 'L1', sku: 'TEE', quantity: 1 }]));
    const partly = await getOrder(rt, orderId);
    expect(partly.status).toBe('partially_shipped');
    expect(partly.shipments[west].status).toBe('released');

    await put(shipped(orderId, west, 'WH2', [{ lineId: 'L2', sku: 'CAP', quantity: 1 }]));
    const order = await getOrder(rt, orderId);
    expect(order.status).toBe('shipped');
    expect(order.shipments[west].fulfillment).toMatchObject({ carrier: 'UPS', trackingNumber: '1Z-WH2' });
    expect(ordersDeadLetters()).toEqual([]);
  });
});

describe('short picks go back through release', () => {
  it('re-releases the short units at another node with stock, once per task', async () => {
    const orderId = await sendOrder(rt, 'web', { lines: [{ sku: 'MUG', quantity: 3 }] });
    await waitForStatus(rt, orderId, 'released');
    const fid = reservationOf(orderId, 'WH1', 0);
    await put(wave(orderId, fid));

    const event = shorted(orderId, fid, { lineId: 'L1', sku: 'MUG', quantity: 1 });
    await put(event);
    await put(event); // redelivered

    const next = reservationOf(orderId, 'WH2', 1);
    const [release, ...more] = releaseEvents(rt, 'OrderReleased', orderId).filter(
      (e: any) => e.detail.data.locationId === 'WH2',
    ) as any[];
    expect(release.detail.data).toMatchObject({
      reservationId: next,
      locationId: 'WH2',
      lines: [{ lineId: 'L1', sku: 'MUG', quantity: 1 }],
    });
    // A repeat may re-send the same event (same id; consumers dedupe), never a second release.
    expect(distinctReleases(orderId, 'WH2').size).toBe(1);
    expect(more.every((e) => e.detail.data.reservationId === next)).toBe(true);
    expect((await positions(rt, 'MUG')).WH2).toMatchObject({ reserved: 1, available: 4 });

    const order = await getOrder(rt, orderId);
    expect(order.status).toBe('picking'); // the rest of the order is still being picked
    expect(order.shipments[fid].lines).toEqual([{ lineId: 'L1', sku: 'MUG', quantity: 2 }]);
    expect(order.shipments[next]).toMatchObject({ status: 'released', round: 1 });
    expect(order.shortPicks[`${fid}:T-${orderId}`]).toMatchObject({
      status: 'released',
      releasedTo: ['WH2'],
    });

    // Both parts ship: the order is shipped.
    await put(shipped(orderId, fid, 'WH1', [{ lineId: 'L1', sku: 'MUG', quantity: 2 }]));
    expect((await getOrder(rt, orderId)).status).toBe('partially_shipped');
    await put(shipped(orderId, next, 'WH2', [{ lineId: 'L1', sku: 'MUG', quantity: 1 }]));
    expect((await getOrder(rt, orderId)).status).toBe('shipped');
    expect(ordersDeadLetters()).toEqual([]);
  });

  it('backorders short units no node has, and a later receipt releases them', async () => {
    const orderId = await sendOrder(rt, 'web', { lines: [{ sku: 'HAT', quantity: 2 }] });
    await waitForStatus(rt, orderId, 'released');
    const fid = reservationOf(orderId, 'WH1', 0);

    await put(shorted(orderId, fid, { lineId: 'L1', sku: 'HAT', quantity: 1 }));
    const waiting = await waitForStatus(rt, orderId, 'backordered');
    expect(waiting.backorder.lines).toEqual([
      expect.objectContaining({ lineId: 'L1', sku: 'HAT', quantity: 1 }),
    ]);
    expect(releaseEvents(rt, 'OrderBackordered', orderId)).toHaveLength(1);

    // The part still at WH1 ships meanwhile: the order keeps waiting for the rest.
    await put(shipped(orderId, fid, 'WH1', [{ lineId: 'L1', sku: 'HAT', quantity: 1 }]));
    expect((await getOrder(rt, orderId)).status).toBe('backordered');

    const receipt = await rt.api('POST', '/api/inventory/receipts', {
      role: 'warehouse-associate',
      body: { sku: 'HAT', locationId: 'WH2', quantity: 1, reason: 'PO-9', idempotencyKey: `po-9-${orderId}` },
    });
    expect(receipt.status, JSON.stringify(receipt.body)).toBe(201);

    const order = await waitForStatus(rt, orderId, 'partially_shipped');
    const [part] = Object.values(order.shipments as Record<string, any>).filter(
      (s) => s.locationId === 'WH2',
    );
    expect(part).toMatchObject({ status: 'released', lines: [{ lineId: 'L1', sku: 'HAT', quantity: 1 }] });
    expect(distinctReleases(orderId, 'WH2').size).toBe(1);
    expect((await positions(rt, 'HAT')).WH2).toMatchObject({ reserved: 1, available: 0 });

    await put(shipped(orderId, part.reservationId, 'WH2', [{ lineId: 'L1', sku: 'HAT', quantity: 1 }]));
    expect((await getOrder(rt, orderId)).status).toBe('shipped');
    expect(ordersDeadLetters()).toEqual([]);
  });
});
