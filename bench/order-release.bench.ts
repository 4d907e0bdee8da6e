import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { orderIdFor } from '../functions/orders/keys.ts';
import { hmacSha256 } from '../functions/shared/webhooks.ts';
import { type Bench, measure, round } from './context.ts';

/**
 * Order release on the local runtime, webhook to released: each order is POSTed to the
 * storefront webhook (intake, outbox, OrderReceived, starter, the order-release execution:
 * validate, holds, allocate, reserve through inventory, release) and timed until its
 * OrderReleased event is on the bus (`runtime.bus.onEvent`). 16 senders; stock never runs out;
 * 48 orders released first warm the handlers and workflow steps.
 * Beside it, the raw engine doing single PutItems on the same table in the same run.
 */
const SECRET = 'bench-release-signing-key';
const CHANNEL = 'bench-release';
const SKU = 'BENCH-REL-TEE';
const LOCATION = 'BENCH-REL-WH';
const WARM_ORDERS = 48;

const percentile = (sorted: number[], p: number) =>
  round(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0);

const bench: Bench = async ({ runtime, raw, tableName, scale }) => {
  const total = Math.max(50, Math.round(400 * scale));
  const senders = 16;

  await runtime.api('PUT', `/api/skus/${SKU}`, { body: { name: 'Bench release tee' } });
  await runtime.api('PUT', `/api/locations/${LOCATION}`, {
    body: {
      name: LOCATION,
      type: 'warehouse',
      address: { line1: '1 Bench Rd', city: 'Portland', postalCode: '97201', country: 'US', region: 'OR' },
    },
  });
  await runtime.api('PUT', `/api/channels/${CHANNEL}`, {
    body: { type: 'generic', secret: SECRET, locationIds: [LOCATION], priority: 5 },
  });
  await runtime.api('POST', '/api/inventory/adjustments', {
    body: {
      sku: SKU,
      locationId: LOCATION,
      delta: (total + WARM_ORDERS) * 10,
      reason: 'bench stock',
      idempotencyKey: `bench-rel-${Date.now()}`,
    },
  });

  const run = `${Date.now()}`;
  // Each bench starts on a fresh DynamoDB Local: warm its JIT first, as the other benches do.
  await measure(3000, senders, (i) =>
    raw.send(
      new PutCommand({
        TableName: tableName,
        Item: { pk: `BENCHWARM#${run}#${i}`, sk: 'ORDER', payload: 'x'.repeat(400) },
      }),
    ),
  );
  /** POSTs `count` orders from 16 senders and waits until each is released (or 10 minutes pass). */
  async function releaseOrders(count: number, tag: string) {
    const sentAt = new Map<string, number>();
    const releasedAt = new Map<string, number>();
    let allReleased: () => void = () => undefined;
    const done = new Promise<void>((resolve) => {
      allReleased = resolve;
    });
    const stop = runtime.bus.onEvent((event) => {
      if (event['detail-type'] !== 'OrderReleased') return;
      const orderId = (event.detail as { data?: { orderId?: string } })?.data?.orderId;
      if (orderId && sentAt.has(orderId) && !releasedAt.has(orderId)) {
        releasedAt.set(orderId, performance.now());
        if (releasedAt.size === count) allReleased();
      }
    });
    const started = performance.now();
    const webhook = await measure(count, senders, async (i) => {
      const externalId = `BENCH-REL-${run}-${tag}-${i}`;
      const body = JSON.stringify({
        externalId,
        placedAt: new Date().toISOString(),
        currency: 'USD',
        lines: [{ sku: SKU, quantity: 1, unitPrice: '19.99' }],
        shipTo: {
          name: 'Bench Buyer',
          line1: '1 Load St',
          city: 'Portland',
          region: 'OR',
          postalCode: '97201',
          country: 'US',
        },
        payment: { status: 'paid' },
        customerRef: 'bench',
      });
      sentAt.set(orderIdFor(CHANNEL, externalId), performance.now());
      const res = await fetch(`${runtime.url}/webhooks/orders/${CHANNEL}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-qm-signature': `sha256=${hmacSha256(SECRET, body, 'hex')}`,
          'idempotency-key': externalId,
        },
        body,
      });
      if (res.status >= 300) throw new Error(`webhook answered ${res.status}`);
    });
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([done, new Promise<void>((resolve) => (timer = setTimeout(resolve, 600_000)))]);
    clearTimeout(timer);
    stop();
    const finished = Math.max(...releasedAt.values());
    const latencies = [...releasedAt].map(([id, t]) => t - (sentAt.get(id) ?? t)).sort((a, b) => a - b);
    return { webhook, released: releasedAt.size, seconds: (finished - started) / 1000, latencies };
  }

  // Warm the handlers and workflow steps (a fresh runtime loads them on first use), then measure.
  await releaseOrders(WARM_ORDERS, 'warm');
  await runtime.settle();
  const { webhook, released, seconds, latencies } = await releaseOrders(total, 'run');

  const rawPut = await measure(total, senders, (i) =>
    raw.send(
      new PutCommand({
        TableName: tableName,
        Item: { pk: `BENCHRAW#${run}#${i}`, sk: 'ORDER', payload: 'x'.repeat(400) },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    ),
  );
  await runtime.settle();

  return {
    orders: total,
    senders,
    warmupOrders: WARM_ORDERS,
    released,
    webhookToReleased: {
      ordersPerSecond: round(released / seconds),
      p50Ms: percentile(latencies, 0.5),
      p99Ms: percentile(latencies, 0.99),
      maxMs: round(latencies.at(-1) ?? 0),
    },
    webhookOnly: { perSecond: webhook.perSecond, p50Ms: webhook.p50Ms, p99Ms: webhook.p99Ms },
    rawPutItem: { perSecond: rawPut.perSecond, p50Ms: rawPut.p50Ms, p99Ms: rawPut.p99Ms },
  };
};

export default bench;
