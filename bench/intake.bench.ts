import { PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { hmacSha256 } from '../functions/shared/webhooks.ts';
import { type Bench, measure, round } from './context.ts';
import { runLoad } from './load.ts';

/**
 * Webhook intake on the local runtime: POST /webhooks/orders/{channelId} (raw-body HMAC
 * verification, normalization, SKU and listing lookup, one conditional PutItem; the event
 * leaves through the table-stream outbox), measured
 * - paced: requests fire on a fixed schedule (a short sweep of rates, then the target, default
 *   200/s for 10 s, twice: the first run while the engine's JIT settles, the second measured),
 *   never waiting for earlier replies;
 * - saturated: as fast as 16 concurrent senders go;
 * beside the raw engine doing single PutItems (the same shape as intake's write) and 2-item
 * transactions on the same table, in the same run.
 */
const SECRET = 'bench-storefront-signing-key';
const CHANNEL = 'bench-store';

const percentile = (sorted: number[], p: number) =>
  round(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0);

const bench: Bench = async ({ runtime, raw, tableName, scale }) => {
  const rate = Number(process.env.QM_BENCH_INTAKE_RATE ?? 200);
  const seconds = Math.max(2, 10 * scale);
  const pacedCount = Math.round(rate * seconds);
  const saturated = Math.max(200, Math.round(2000 * scale));

  // Stocked SKUs, so every order's workflow reserves and releases as a real one would.
  await runtime.api('PUT', '/api/locations/BENCH-WH', { body: { name: 'Bench', type: 'warehouse' } });
  for (const [sku, name] of [
    ['BENCH-TEE', 'Bench tee'],
    ['BENCH-MUG', 'Bench mug'],
  ] as const) {
    await runtime.api('PUT', `/api/skus/${sku}`, { body: { name } });
    await runtime.api('POST', '/api/inventory/adjustments', {
      body: {
        sku,
        locationId: 'BENCH-WH',
        delta: 1_000_000,
        reason: 'bench stock',
        idempotencyKey: `bench-intake-${sku}`,
      },
    });
    // Every bench order stays open (nothing ships) and hits a few SKUs: split over shards, as an
    // operator does for a best-seller, so no single item's write ceiling paces the run.
    await runtime.api('PUT', `/api/inventory/${sku}/sharding`, { body: { shards: 16 } });
  }
  const channel = await runtime.api('PUT', `/api/channels/${CHANNEL}`, {
    body: { type: 'generic', secret: SECRET, locationIds: ['BENCH-WH'] },
  });
  if (channel.status >= 300) throw new Error(`channel setup answered ${channel.status}`);

  const run = `${Date.now()}`;
  const request = (n: string) => {
    const body = JSON.stringify({
      externalId: `BENCH-${run}-${n}`,
      placedAt: new Date().toISOString(),
      currency: 'USD',
      lines: [
        { sku: 'BENCH-TEE', quantity: 2, unitPrice: '19.99' },
        { sku: 'BENCH-MUG', quantity: 1, unitPrice: '12.50', discount: '1.25' },
      ],
      shipTo: {
        name: 'Bench Buyer',
        line1: '1 Load St',
        city: 'Portland',
        postalCode: '97201',
        country: 'US',
      },
      payment: { status: 'paid' },
    });
    return {
      body,
      headers: {
        'content-type': 'application/json',
        'x-qm-signature': `sha256=${hmacSha256(SECRET, body, 'hex')}`,
        'idempotency-key': `bench-${run}-${n}`,
      },
    };
  };
  const url = `${runtime.url}/webhooks/orders/${CHANNEL}`;
  const send = async (r: ReturnType<typeof request>) => {
    const res = await fetch(url, { method: 'POST', headers: r.headers, body: r.body });
    await res.arrayBuffer();
    return res.status;
  };

  // Warm-up: cold starts of the handler modules, connection pool, JIT; then let the orders'
  // workflows finish so the first measured run does not inherit them.
  for (let i = 0; i < 200; i++) await send(request(`warm-${i}`));
  await runtime.settle();

  /**
   * Fires `count` requests at `perSecond` from the load worker on a fixed schedule, never
   * waiting for earlier replies; latency runs from each request's *scheduled* time, so sender
   * lag counts against intake (no coordinated omission). Then waits for the orders' workflows
   * (the backlog a burst leaves) and reports how long they took to drain.
   */
  async function paced(label: string, perSecond: number, count: number, accountCpu = false) {
    const requests = Array.from({ length: count }, (_, i) => request(`${label}-${i}`));
    const out = await runLoad({
      mode: 'paced',
      url,
      requests,
      perSecond,
      ...(accountCpu ? { accountCpu: { dynamoDbPid: runtime.dynamoDbPid } } : {}),
    });
    const drainStarted = performance.now();
    await runtime.settle();
    const latencies = out.latencies.sort((a, b) => a - b);
    return {
      targetPerSecond: perSecond,
      requests: count,
      seconds: round(out.seconds),
      throughputPerSecond: round((out.statuses['201'] ?? 0) / out.seconds),
      statuses: out.statuses,
      ...(out.errors.length ? { errors: out.errors } : {}),
      p50Ms: percentile(latencies, 0.5),
      p99Ms: percentile(latencies, 0.99),
      maxMs: round(latencies[latencies.length - 1] ?? 0),
      maxSendLagMs: round(out.maxSendLagMs),
      workflowsDrainedAfterSeconds: round((performance.now() - drainStarted) / 1000),
      ...(out.cpu ? { cpu: out.cpu } : {}),
    };
  }

  // A short sweep shows where latency bends; then the target rate for the full duration.
  const sweep = [];
  for (const perSecond of [25, 50, 100, 150]) {
    sweep.push(await paced(`sweep${perSecond}`, perSecond, Math.round(perSecond * Math.max(2, 3 * scale))));
  }
  // The target rate runs twice and the second run is the one measured: during the first,
  // DynamoDB Local's C2 compiler is still at work on the release path's requests (its CPU in the
  // first run at 200/s: 0.5–0.7 s of 10 s; in the next ones 0.12–0.21 s), which is start-up, not
  // intake. The first run's figures are reported beside (it is what this bench measured before).
  const firstRun = await paced('first', rate, pacedCount);
  // The target run also says who used the CPUs and who waited for one (Linux only).
  const target = await paced('target', rate, pacedCount, true);

  // Saturation: closed loop, 16 senders.
  const burst = Array.from({ length: saturated }, (_, i) => request(`burst-${i}`));
  const closed = await runLoad({ mode: 'closed', url, requests: burst, concurrency: 16 });
  if ((closed.statuses['201'] ?? 0) !== saturated) {
    throw new Error(`saturated intake answered ${JSON.stringify(closed.statuses)}`);
  }
  const sorted = closed.latencies.sort((a, b) => a - b);
  const saturation = {
    operations: saturated,
    seconds: round(closed.seconds),
    perSecond: round(saturated / closed.seconds),
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
  };
  await runtime.settle();

  // The raw engine on the same table: conditional PutItems (the shape of intake's one write), and the
  // 2-item transaction a delivery-item + order design would need, for comparison.
  const rawTotal = Math.max(500, Math.round(4000 * scale));
  const rawPut = await measure(rawTotal, 16, (i) =>
    raw.send(
      new PutCommand({
        TableName: tableName,
        Item: { pk: `BENCH#put#${run}#${i}`, sk: 'ITEM', n: i },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    ),
  );
  const rawTransact = await measure(rawTotal, 16, (i) =>
    raw.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: tableName,
              Item: { pk: `BENCH#order#${run}#${i}`, sk: 'ORDER', n: i },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          {
            Put: {
              TableName: tableName,
              Item: { pk: `BENCH#delivery#${run}#${i}`, sk: 'DELIVERY', n: i },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
        ],
      }),
    ),
  );

  return {
    pacedWebhookIntake: { ...target, p99Under50Ms: target.p99Ms < 50 },
    firstRunAtTargetRate: {
      statuses: firstRun.statuses,
      p50Ms: firstRun.p50Ms,
      p99Ms: firstRun.p99Ms,
      maxMs: firstRun.maxMs,
      workflowsDrainedAfterSeconds: firstRun.workflowsDrainedAfterSeconds,
    },
    sweep: sweep.map((r) => ({
      targetPerSecond: r.targetPerSecond,
      throughputPerSecond: r.throughputPerSecond,
      p50Ms: r.p50Ms,
      p99Ms: r.p99Ms,
      errors: r.statuses.error ?? 0,
      workflowsDrainedAfterSeconds: r.workflowsDrainedAfterSeconds,
    })),
    saturatedWebhookIntake: saturation,
    rawPutItem: rawPut,
    rawTwoItemTransaction: rawTransact,
    intakeVsRawPutItem: round(saturation.perSecond / rawPut.perSecond),
    note: 'intake = gateway + raw-body HMAC + normalize + SKU lookup (cached when found) + one conditional PutItem; the event leaves via the table-stream outbox and starts the order-release workflow, which runs in the same process behind the API (at most QM_BACKGROUND_CONCURRENCY event-driven invocations at once) and drains after each run (workflowsDrainedAfterSeconds); requests come from a worker thread; sender, runtime and DynamoDB Local share the same 2 CPUs',
  };
};
export default bench;
