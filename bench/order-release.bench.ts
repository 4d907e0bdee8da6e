import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoOrderStore } from '../functions/orders/adapters/order-store.ts';
import { orderIdFor } from '../functions/orders/keys.ts';
import { releasePorts } from '../functions/orders/release/adapters/wiring.ts';
import { releaseFast } from '../functions/orders/release/core/fast-path.ts';
import { documentClient } from '../functions/shared/clients.ts';
import { hmacSha256 } from '../functions/shared/webhooks.ts';
import { type Bench, measure, round } from './context.ts';
import { type LoadRequest, runLoad } from './load.ts';

/**
 * Order release on the local runtime, webhook to released: each order is POSTed to the
 * storefront webhook (intake, outbox, OrderReceived, the release fast path: holds, routing,
 * reservation through inventory, one order write) and timed until its OrderReleased event is on
 * the bus (`runtime.bus.onEvent`). WARM_ORDERS released first bring the runtime to its steady
 * state: handlers loaded and optimized, and DynamoDB Local's JIT past its compiling (its C2
 * compiler takes about 20,000 requests; before that it spends ~40 % of the engine's CPU).
 * - closed loop: 16 senders, stock never runs out;
 * - paced: 100 orders/s from the load worker, latency from each order's scheduled send time;
 * - DynamoDB calls per released order: the fast path called in this process on warm caches,
 *   counting every command its clients send (single node, single line);
 * - flash sale: 2,000 one-unit orders, each delivered 3 times at once, against 90 units at two
 *   nodes: time for the webhooks to be answered vs time for every order to settle (released or
 *   backordered), then a receipt of 150 that must release the 150 oldest backorders.
 * Beside them, the raw engine doing single PutItems on the same table in the same run.
 */
const SECRET = 'bench-release-signing-key';
const CHANNEL = 'bench-release';
const SKU = 'BENCH-REL-TEE';
const LOCATION = 'BENCH-REL-WH';
const WARM_ORDERS = 1500;

const percentile = (sorted: number[], p: number) =>
  round(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0);

const shipTo = {
  name: 'Bench Buyer',
  line1: '1 Load St',
  city: 'Portland',
  region: 'OR',
  postalCode: '97201',
  country: 'US',
};

function signedOrder(externalId: string, sku: string, placedAt = new Date().toISOString()): LoadRequest {
  const body = JSON.stringify({
    externalId,
    placedAt,
    currency: 'USD',
    lines: [{ sku, quantity: 1, unitPrice: '19.99' }],
    shipTo,
    payment: { status: 'paid' },
    customerRef: 'bench',
  });
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'x-qm-signature': `sha256=${hmacSha256(SECRET, body, 'hex')}`,
      'idempotency-key': externalId,
    },
  };
}

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
      const { body, headers } = signedOrder(externalId, SKU);
      sentAt.set(orderIdFor(CHANNEL, externalId), performance.now());
      const res = await fetch(`${runtime.url}/webhooks/orders/${CHANNEL}`, { method: 'POST', headers, body });
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
  process.stderr.write('  order-release: warm, closed loop\n');
  await runtime.settle();
  const { webhook, released, seconds, latencies } = await releaseOrders(total, 'run');

  const step = (what: string) => process.stderr.write(`  order-release: ${what}\n`);
  step('paced 100/s');
  // Paced: 100 orders/s for 10 s (scaled), never waiting for replies.
  const pacedRate = 100;
  const pacedCount = Math.max(100, Math.round(pacedRate * 10 * scale));
  // Its own SKU, every order reserving it, on one position item: 100 reservations/s is far
  // below what one item takes on AWS (1,000 write units/s per partition), so an operator would
  // not shard it. (Sharding costs every reservation a read of the shards and of its record;
  // measured with 4 shards at 50 orders/s: p50 0.76 s instead of 0.13 s.)
  const PACED_SKU = 'BENCH-REL-PACED';
  await runtime.api('PUT', `/api/skus/${PACED_SKU}`, { body: { name: 'Bench paced tee' } });
  await runtime.api('POST', '/api/inventory/adjustments', {
    body: {
      sku: PACED_SKU,
      locationId: LOCATION,
      delta: pacedCount * 10,
      reason: 'bench stock',
      idempotencyKey: `bench-rel-paced-${run}`,
    },
  });
  await runtime.settle();
  const pacedIds = Array.from({ length: pacedCount }, (_, i) => `BENCH-REL-${run}-paced-${i}`);
  const pacedIndex = new Map(pacedIds.map((id, i) => [orderIdFor(CHANNEL, id), i]));
  const pacedReleased = new Map<number, number>();
  const stopPaced = runtime.bus.onEvent((event) => {
    if (event['detail-type'] !== 'OrderReleased') return;
    const i = pacedIndex.get((event.detail as { data?: { orderId?: string } })?.data?.orderId ?? '');
    if (i !== undefined && !pacedReleased.has(i)) pacedReleased.set(i, performance.now());
  });
  const pacedLoad = await runLoad({
    mode: 'paced',
    url: `${runtime.url}/webhooks/orders/${CHANNEL}`,
    requests: pacedIds.map((id) => signedOrder(id, PACED_SKU)),
    perSecond: pacedRate,
  });
  await runtime.settle();
  stopPaced();
  // Order i was due at the sender's start + i / rate (its own clock: the load worker takes about a
  // second to start, which a clock read here before runLoad would count as latency).
  const pacedStart = pacedLoad.startedAt - performance.timeOrigin;
  const pacedLatencies = [...pacedReleased]
    .map(([i, t]) => t - (pacedStart + (i * 1000) / pacedRate))
    .sort((a, b) => a - b);
  const pacedWebhook = pacedLoad.latencies.sort((a, b) => a - b);

  step('DynamoDB calls per order');
  // DynamoDB calls of the fast path per released order, counted on this process's client.
  const callsRun = await countFastPathCalls(tableName, run, Math.max(20, Math.round(100 * scale)));

  step('flash sale');
  const flash = await flashSale(runtime, run);

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
    pacedWebhookToReleased: {
      targetPerSecond: pacedRate,
      orders: pacedCount,
      released: pacedReleased.size,
      webhookStatuses: pacedLoad.statuses,
      webhookP99Ms: percentile(pacedWebhook, 0.99),
      p50Ms: percentile(pacedLatencies, 0.5),
      p99Ms: percentile(pacedLatencies, 0.99),
      p50Under1s: percentile(pacedLatencies, 0.5) < 1000,
    },
    dynamoCallsPerReleasedOrder: callsRun,
    flashSale: flash,
    rawPutItem: { perSecond: rawPut.perSecond, p50Ms: rawPut.p50Ms, p99Ms: rawPut.p99Ms },
  };
};

/**
 * Creates `count` single-line orders directly in the order store (no event, so the runtime's own
 * fast path does not see them), then releases each through `releaseFast` in this process with a
 * middleware counting every command sent on the shared DynamoDB client. The first few warm the
 * caches (channel, nodes, rules, catalog, shard counts), as a running function's would be.
 */
async function countFastPathCalls(tableName: string, run: string, count: number) {
  const store = dynamoOrderStore(tableName);
  const ports = releasePorts();
  const commands = new Map<string, number>();
  let counting = false;
  const client = documentClient();
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (counting)
        commands.set(context.commandName ?? '?', (commands.get(context.commandName ?? '?') ?? 0) + 1);
      return next(args);
    },
    { step: 'initialize', name: 'benchCallCounter' },
  );
  const warm = 5;
  let released = 0;
  try {
    for (let i = 0; i < count + warm; i++) {
      const externalId = `BENCH-CALLS-${run}-${i}`;
      const orderId = orderIdFor(CHANNEL, externalId);
      const now = new Date().toISOString();
      const order = {
        orderId,
        channelId: CHANNEL,
        externalId,
        lines: [{ lineId: 'L1', sku: SKU, quantity: 1, unitPrice: 1999 }],
        currency: 'USD',
        shipTo,
        paymentStatus: 'paid' as const,
        placedAt: now,
        serviceLevel: 'standard' as const,
        customerRef: 'bench',
      };
      await store.create({
        ...order,
        status: 'received',
        receivedAt: now,
        createdAt: now,
        updatedAt: now,
      } as never);
      counting = i >= warm;
      const out = await releaseFast(ports, order, { correlationId: orderId });
      counting = false;
      if (i >= warm && out.status === 'released') released++;
    }
  } finally {
    client.middlewareStack.remove('benchCallCounter');
  }
  const calls = [...commands.values()].reduce((a, b) => a + b, 0);
  return {
    orders: count,
    released,
    perOrder: round(calls / Math.max(1, released)),
    byCommand: Object.fromEntries([...commands].map(([k, v]) => [k, round(v / Math.max(1, released))])),
    targetAtMost5: calls / Math.max(1, released) <= 5,
  };
}

/**
 * 2,000 one-unit orders of one SKU, each delivered 3 times at once (a sender retrying while the
 * first is in flight), against 90 units at two nodes; then a receipt of 150.
 */
async function flashSale(runtime: Parameters<Bench>[0]['runtime'], run: string) {
  const sku = 'BENCH-FLASH-DROP';
  const orders = 2000;
  const channel = `flash-${run}`;
  await runtime.api('PUT', `/api/skus/${sku}`, { body: { name: 'Flash drop' } });
  for (const [loc, region] of [
    ['FLASH-EAST', 'NJ'],
    ['FLASH-WEST', 'OR'],
  ] as const) {
    await runtime.api('PUT', `/api/locations/${loc}`, {
      body: {
        name: loc,
        type: 'warehouse',
        address: { line1: '1 Flash Rd', city: 'X', postalCode: '00000', country: 'US', region },
      },
    });
    await runtime.api('POST', '/api/inventory/adjustments', {
      body: { sku, locationId: loc, delta: 45, reason: 'flash stock', idempotencyKey: `flash-${run}-${loc}` },
    });
  }
  await runtime.api('PUT', `/api/channels/${channel}`, {
    body: { type: 'generic', secret: SECRET, locationIds: ['FLASH-EAST', 'FLASH-WEST'], priority: 5 },
  });
  await runtime.settle();

  const base = Date.parse('2026-11-27T00:00:00Z');
  const requests = Array.from({ length: orders }, (_, i) =>
    signedOrder(`FLASH-${run}-${i}`, sku, new Date(base + i * 1000).toISOString()),
  );
  const ids = requests.map((_, i) => orderIdFor(channel, `FLASH-${run}-${i}`));
  const settled = new Set<string>();
  let lastSettledAt = 0;
  const stop = runtime.bus.onEvent((event) => {
    const type = event['detail-type'];
    if (type !== 'OrderReleased' && type !== 'OrderBackordered') return;
    const orderId = (event.detail as { data?: { orderId?: string } })?.data?.orderId ?? '';
    if (orderId.startsWith('ord_') && !settled.has(orderId)) {
      settled.add(orderId);
      lastSettledAt = performance.now();
    }
  });
  const deliveries = requests.flatMap((r) => [r, r, r]);
  const load = await runLoad({
    mode: 'closed',
    url: `${runtime.url}/webhooks/orders/${channel}`,
    requests: deliveries,
    concurrency: 24,
  });
  // From the sender's first request (its worker takes about a second to start) to its last reply.
  const started = load.startedAt - performance.timeOrigin;
  const webhooksAnsweredSeconds = (load.endedAt - load.startedAt) / 1000;
  await runtime.settle();
  stop();
  const idSet = new Set(ids);
  const settledHere = [...settled].filter((id) => idSet.has(id)).length;
  const settleSeconds = (lastSettledAt - started) / 1000;
  const statusOf = async (orderId: string) =>
    (await runtime.api('GET', `/api/orders/${orderId}`)).body.status;
  const statuses = await Promise.all(ids.map(statusOf));
  const count = (s: string) => statuses.filter((x) => x === s).length;
  const releasedBefore = count('released');

  // A receipt of 150: the 150 oldest backorders (one channel, so by placement time) are released.
  const receiptStarted = performance.now();
  await runtime.api('POST', '/api/inventory/receipts', {
    role: 'warehouse-associate',
    body: {
      sku,
      locationId: 'FLASH-EAST',
      quantity: 150,
      reason: 'PO-FLASH',
      idempotencyKey: `flash-po-${run}`,
    },
  });
  await runtime.settle();
  const receiptSeconds = (performance.now() - receiptStarted) / 1000;
  const after = await Promise.all(ids.map(statusOf));
  const backorderedBefore = ids.filter((_, i) => statuses[i] === 'backordered');
  const newlyReleased = ids.filter((_, i) => statuses[i] === 'backordered' && after[i] === 'released');
  const oldest150 = new Set(backorderedBefore.slice(0, 150));
  return {
    orders,
    deliveriesPerOrder: 3,
    units: 90,
    webhookStatuses: load.statuses,
    webhooksAnsweredSeconds: round(webhooksAnsweredSeconds),
    allSettledSeconds: round(settleSeconds),
    settledOrders: settledHere,
    settleToWebhookRatio: round(settleSeconds / webhooksAnsweredSeconds),
    ratioAtMost1_5: settleSeconds / webhooksAnsweredSeconds <= 1.5,
    released: releasedBefore,
    backordered: count('backordered'),
    receiptOf150: {
      releasedSeconds: round(receiptSeconds),
      released: newlyReleased.length,
      allAmongTheOldest150: newlyReleased.every((id) => oldest150.has(id)),
    },
  };
}

export default bench;
