import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { genericThreePLClient, shipBobClient } from '#connectors/adapters/threepl-clients';
import { ChannelCallFailed } from '#connectors/core/ports';
import { reconciliationIdOf } from '#connectors/core/reconcile';
import type { ThreePLOrder } from '#connectors/core/threepl-ports';
import { type FakeThreePL, startFakeThreePL } from '../support/fakes/threepl.ts';

/** The 3PL order clients against the fake 3PL: shapes, duplicates as success, retries, refusals. */
let fake: FakeThreePL;
const TOKEN = 'unit-token';
const policy = { attempts: 4, backoffMs: 1, maxRetryAfterMs: 5_000, timeoutMs: 2_000, deadlineMs: 10_000 };

beforeAll(async () => {
  fake = await startFakeThreePL({ token: TOKEN });
});
afterAll(() => fake?.close());

const order = (orderId: string): ThreePLOrder => ({
  locationId: 'TPL',
  orderId,
  reservationId: `order:${orderId}:TPL:1`,
  channelId: 'web',
  externalId: `#${orderId}`,
  lines: [{ lineId: 'L1', sku: 'KIT', quantity: 1 }],
  units: [
    { sku: 'A', quantity: 2 },
    { sku: 'B', quantity: 1 },
  ],
  serviceLevel: 'express',
  shipTo: {
    name: 'Sam',
    line1: '1 Main St',
    city: 'Portland',
    region: 'OR',
    postalCode: '97201',
    country: 'US',
  },
  handoff: 'pending',
  status: 'requested',
  history: [],
  createdAt: '2026-12-05T08:00:00.000Z',
  updatedAt: '2026-12-05T08:00:00.000Z',
});

describe('generic 3PL client', () => {
  const connection = () => ({
    provider: 'generic' as const,
    apiBaseUrl: `${fake.url}/`,
    webhookSecretRef: 'x',
    updatedAt: '',
  });

  it('creates the order with its physical units and answers the 3PL’s id', async () => {
    const id = await genericThreePLClient(policy).createOrder(connection(), TOKEN, order('o-1'));
    expect(id).toBe(String(fake.orders.get('o-1')?.id));
    expect(fake.orders.get('o-1')?.body).toMatchObject({
      referenceId: 'o-1',
      serviceLevel: 'express',
      lines: [
        { sku: 'A', quantity: 2 },
        { sku: 'B', quantity: 1 },
      ],
    });
  });

  it('takes a 409 for a reference the 3PL has as created, with its id, after a 429', async () => {
    fake.orders.set('o-2', { id: 4242, body: {} });
    fake.faults.rateLimitNext = 1;
    fake.faults.retryAfter = '0';
    const id = await genericThreePLClient(policy).createOrder(connection(), TOKEN, order('o-2'));
    expect(id).toBe('4242');
    expect(fake.requests.slice(-2).map((r) => r.status)).toEqual([429, 409]);
  });

  it('fails at once on another 4xx (a wrong token), and after its tries on 5xx', async () => {
    const before = fake.requests.length;
    await expect(
      genericThreePLClient(policy).createOrder(connection(), 'wrong', order('o-3')),
    ).rejects.toThrow(ChannelCallFailed);
    expect(fake.requests.length - before).toBe(1);
    fake.faults.failWith = 502;
    try {
      await expect(
        genericThreePLClient(policy).createOrder(connection(), TOKEN, order('o-4')),
      ).rejects.toThrow(/HTTP 502/);
    } finally {
      fake.faults.failWith = undefined;
    }
    expect(fake.orders.has('o-4')).toBe(false);
  });
});

describe('ShipBob client', () => {
  it('answers the reference for a 422 duplicate-reference refusal', async () => {
    const connection = {
      provider: 'shipbob' as const,
      apiBaseUrl: fake.url,
      webhookSecretRef: 'x',
      updatedAt: '',
    };
    fake.orders.set('o-5', { id: 5, body: {} });
    expect(await shipBobClient(policy).createOrder(connection, TOKEN, order('o-5'))).toBe('o-5');
  });
});

describe('reconciliation ids', () => {
  it('are one per location and snapshot time, whatever the time’s notation', () => {
    const a = reconciliationIdOf('TPL', '2026-12-05T08:00:00Z');
    expect(reconciliationIdOf('TPL', '2026-12-05T09:00:00+01:00')).toBe(a);
    expect(reconciliationIdOf('TPL2', '2026-12-05T08:00:00Z')).not.toBe(a);
  });
});
