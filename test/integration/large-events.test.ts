import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderIdFor } from '../../functions/orders/keys.ts';
import { eventBridgeClient, s3Client } from '../../functions/shared/clients.ts';
import { ENV } from '../../functions/shared/env.ts';
import { sha256Hex } from '../../functions/shared/payload-store.ts';
import { hmacSha256 } from '../../functions/shared/webhooks.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';
import {
  putChannel,
  putLocation,
  putSku,
  SECRET,
  stock,
  waitForStatus,
} from '../workflows/order-release-helpers.ts';

/*
 * Orders at the storefront contract's limit (500 lines, long ids and titles) through the real
 * local runtime: webhook → order item → outbox → bus (with EventBridge's 256 KB request limit) →
 * release and journal. A claim-checked OrderReceived goes through s3rver and back.
 */

const CHANNEL = 'big-store';
const SKUS = ['BIG-A', 'BIG-B', 'BIG-C', 'BIG-D', 'BIG-E'];
const LINES = 500;
const KB = 1024;

let rt: TestRuntime;

/**
 * A signed storefront delivery of `lines` lines (up to the contract's 500) with 128-character line
 * ids and 400-character titles.
 */
async function sendLargeOrder(externalId: string, lines = LINES) {
  const body = JSON.stringify({
    externalId,
    placedAt: new Date().toISOString(),
    currency: 'USD',
    lines: Array.from({ length: lines }, (_, i) => ({
      lineId: `${String(i).padStart(4, '0')}-${'l'.repeat(123)}`,
      sku: SKUS[i % SKUS.length],
      quantity: 1,
      unitPrice: '12.50',
      title: `Line ${i}: ${'Heavyweight organic cotton tee, garment dyed, '.repeat(9)}`.slice(0, 400),
    })),
    shipTo: {
      name: 'Sam Doe',
      line1: '1 Main St',
      city: 'Portland',
      region: 'OR',
      postalCode: '97201',
      country: 'US',
    },
    payment: { status: 'paid' },
  });
  const res = await fetch(`${rt.url}/webhooks/orders/${CHANNEL}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-qm-signature': `sha256=${hmacSha256(SECRET, body, 'hex')}`,
      'idempotency-key': `d-${externalId}`,
    },
    body,
  });
  return {
    status: res.status,
    answer: await res.json(),
    bodyBytes: Buffer.byteLength(body, 'utf8'),
    orderId: orderIdFor(CHANNEL, externalId),
  };
}

/** Runs `fn` with the claim-check threshold lowered (the publisher reads it on every publish). */
async function withClaimCheckAbove<T>(bytes: number, fn: () => Promise<T>): Promise<T> {
  process.env[ENV.eventClaimCheckBytes] = String(bytes);
  try {
    return await fn();
  } finally {
    delete process.env[ENV.eventClaimCheckBytes];
  }
}

/** The OrderReceived the outbox published for an order, once the bus has it. */
async function orderReceived(orderId: string) {
  for (let i = 0; i < 200; i++) {
    await rt.settle();
    const [event] = rt.bus
      .events({ detailType: 'OrderReceived' })
      .filter((e) => (e.detail as { data?: { orderId?: string } }).data?.orderId === orderId);
    if (event) return event.detail as { data: Record<string, any>; dataRef?: Record<string, any> };
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no OrderReceived for ${orderId}`);
}

/** The journal's OrderReceived entry for an order (the journal batches: poll briefly). */
async function journalled(orderId: string) {
  for (let i = 0; i < 100; i++) {
    const res = await rt.api(
      'GET',
      `/api/events?subject=${encodeURIComponent(`orderId:${orderId}`)}&limit=50`,
      {
        role: 'supervisor',
      },
    );
    expect(res.status).toBe(200);
    const entry = (res.body.items as { detailType: string; data: any; dataRef?: any }[]).find(
      (e) => e.detailType === 'OrderReceived',
    );
    if (entry) return entry;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`OrderReceived of ${orderId} not journalled`);
}

/** Dead letters of the events about one order. */
const deadLettersOf = (orderId: string) =>
  rt.bus.deadLetters
    .filter((d) => (d.event.detail as { data?: { orderId?: string } }).data?.orderId === orderId)
    .map((d) => `${d.rule}: ${d.error}`);

beforeAll(async () => {
  // Event handlers on this thread: they then read the claim-check threshold a test lowers (a
  // background worker copies the environment once, at its start).
  rt = await startTestRuntime({ backgroundWorker: false });
  await putLocation(rt, 'BIG-WH', 'warehouse', 'US', 'OR');
  for (const sku of SKUS) {
    await putSku(rt, sku);
    await stock(rt, sku, 'BIG-WH', 1000);
  }
  await putChannel(rt, CHANNEL, { locationIds: ['BIG-WH'] });
}, 120_000);

afterAll(async () => {
  await rt?.stop();
});

describe('orders at the 500-line limit', () => {
  it('takes a 500-line delivery over 256 KB, stores every line and publishes and journals its OrderReceived', async () => {
    const sent = await sendLargeOrder(`BIG-${Date.now()}`);
    expect(sent.bodyBytes).toBeGreaterThan(256 * KB);
    expect(sent.status, JSON.stringify(sent.answer)).toBe(201);

    const fetched = await rt.api('GET', `/api/orders/${sent.orderId}`);
    expect(fetched.status).toBe(200);
    expect(fetched.body.lines).toHaveLength(LINES);
    expect(fetched.body.lines[499]).toMatchObject({
      sku: 'BIG-E',
      quantity: 1,
      title: expect.stringMatching(/^Line 499: /),
    });

    // Inline (about 110 KB: the event carries no titles), within the request limit.
    const detail = await orderReceived(sent.orderId);
    expect(detail.dataRef).toBeUndefined();
    expect(detail.data.lines).toHaveLength(LINES);
    expect((await journalled(sent.orderId)).data.lines).toHaveLength(LINES);
  }, 90_000);

  it('claim-checks a 500-line OrderReceived: S3 holds the data the pointer names, the journal keeps the pointer', async () => {
    const sent = await withClaimCheckAbove(64 * KB, async () => {
      const delivery = await sendLargeOrder(`BIG-CC-${Date.now()}`);
      await orderReceived(delivery.orderId);
      return delivery;
    });
    expect(sent.status, JSON.stringify(sent.answer)).toBe(201);

    // On the bus: the pointer, with the order id kept for rule patterns and the journal's subject.
    const detail = await orderReceived(sent.orderId);
    expect(detail.data).toMatchObject({ orderId: sent.orderId, channelId: CHANNEL });
    expect(detail.data.lines).toBeUndefined();
    expect(detail.dataRef?.key).toMatch(/^events\/\d{4}\/\d{2}\/\d{2}\/.+\.json$/);

    // In S3: the whole data, matching the pointer's size and hash.
    const object = await s3Client().send(
      new GetObjectCommand({ Bucket: detail.dataRef?.bucket, Key: detail.dataRef?.key }),
    );
    const json = (await object.Body?.transformToString('utf8')) ?? '';
    expect(Buffer.byteLength(json, 'utf8')).toBe(detail.dataRef?.bytes);
    expect(sha256Hex(json)).toBe(detail.dataRef?.sha256);
    expect(JSON.parse(json).lines).toHaveLength(LINES);

    expect(await journalled(sent.orderId)).toMatchObject({
      data: { orderId: sent.orderId },
      dataRef: detail.dataRef,
    });
    const fetched = await rt.api('GET', `/api/orders/${sent.orderId}`);
    expect(fetched.body.lines).toHaveLength(LINES);
  }, 90_000);

  it('releases a claim-checked order like a small one: the release consumer gets every line', async () => {
    const lines = 40;
    const sent = await withClaimCheckAbove(4 * KB, async () => {
      const delivery = await sendLargeOrder(`BIG-REL-${Date.now()}`, lines);
      await orderReceived(delivery.orderId);
      return delivery;
    });
    expect(sent.status, JSON.stringify(sent.answer)).toBe(201);
    expect((await orderReceived(sent.orderId)).dataRef).toBeDefined();

    const order = await waitForStatus(rt, sent.orderId, 'released', 60_000);
    expect(order.lines).toHaveLength(lines);
    expect(deadLettersOf(sent.orderId)).toEqual([]);
  }, 90_000);

  it('refuses a PutEvents request over 256 KB with the error EventBridge gives', async () => {
    const entry = (i: number) => ({
      EventBusName: process.env[ENV.busName],
      Source: 'qm.test',
      DetailType: 'Oversize',
      Detail: JSON.stringify({ metadata: { i }, data: { pad: 'x'.repeat(130 * KB) } }),
    });
    await expect(
      eventBridgeClient().send(new PutEventsCommand({ Entries: [entry(1), entry(2)] })),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message: 'Total size of the entries in the request is over the limit.',
    });
    expect(rt.bus.events({ detailType: 'Oversize' })).toEqual([]);
  });
});
