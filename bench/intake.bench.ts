import { PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { hmacSha256 } from '../functions/shared/webhooks.ts';
import { type Bench, measure, round } from './context.ts';

/**
 * Webhook intake on the local runtime: POST /webhooks/orders/{channelId} (raw-body HMAC
 * verification, normalization, SKU and listing lookup, one conditional PutItem; the event
 * leaves through the table-stream outbox), measured
 * - paced: requests fire on a fixed schedule (a short sweep of rates, then the target,
 *   default 200/s for 10 s), never waiting for earlier replies;
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

  await runtime.api('PUT', '/api/skus/BENCH-TEE', { body: { name: 'Bench tee' } });
  await runtime.api('PUT', '/api/skus/BENCH-MUG', { body: { name: 'Bench mug' } });
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

  // Warm-up: cold starts of the handler modules, connection pool, JIT.
  for (let i = 0; i < 50; i++) await send(request(`warm-${i}`));

  /**
   * Fires `count` requests at `perSecond` on a fixed schedule, never waiting for earlier replies;
   * latency runs from each request's *scheduled* time, so sender lag counts against intake
   * (no coordinated omission).
   */
  async function paced(label: string, perSecond: number, count: number) {
    const requests = Array.from({ length: count }, (_, i) => request(`${label}-${i}`));
    const latencies: number[] = [];
    const statuses: Record<string, number> = {};
    const errors = new Set<string>();
    let maxLagMs = 0;
    const interval = 1000 / perSecond;
    const t0 = performance.now();
    const inFlight: Promise<void>[] = [];
    for (let i = 0; i < count; i++) {
      const due = t0 + i * interval;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      maxLagMs = Math.max(maxLagMs, performance.now() - due);
      inFlight.push(
        send(requests[i] as ReturnType<typeof request>).then(
          (status) => {
            latencies.push(performance.now() - due);
            statuses[status] = (statuses[status] ?? 0) + 1;
          },
          (error: Error & { cause?: { code?: string } }) => {
            statuses.error = (statuses.error ?? 0) + 1;
            errors.add(error.cause?.code ?? error.message);
          },
        ),
      );
    }
    await Promise.all(inFlight);
    const seconds = (performance.now() - t0) / 1000;
    latencies.sort((a, b) => a - b);
    await runtime.settle();
    return {
      targetPerSecond: perSecond,
      requests: count,
      seconds: round(seconds),
      throughputPerSecond: round((statuses['201'] ?? 0) / seconds),
      statuses,
      ...(errors.size ? { errors: [...errors].slice(0, 3) } : {}),
      p50Ms: percentile(latencies, 0.5),
      p99Ms: percentile(latencies, 0.99),
      maxMs: round(latencies[latencies.length - 1] ?? 0),
      maxSendLagMs: round(maxLagMs),
    };
  }

  // A short sweep shows where latency bends; then the target rate for the full duration.
  const sweep = [];
  for (const perSecond of [25, 50, 100, 150]) {
    sweep.push(await paced(`sweep${perSecond}`, perSecond, Math.round(perSecond * Math.max(2, 3 * scale))));
  }
  const target = await paced('target', rate, pacedCount);

  // Saturation: closed loop, 16 senders.
  const burst = Array.from({ length: saturated }, (_, i) => request(`burst-${i}`));
  const saturation = await measure(saturated, 16, async (i) => {
    const status = await send(burst[i] as ReturnType<typeof request>);
    if (status !== 201) throw new Error(`intake answered ${status}`);
  });
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
    sweep: sweep.map((r) => ({
      targetPerSecond: r.targetPerSecond,
      throughputPerSecond: r.throughputPerSecond,
      p50Ms: r.p50Ms,
      p99Ms: r.p99Ms,
      errors: r.statuses.error ?? 0,
    })),
    saturatedWebhookIntake: saturation,
    rawPutItem: rawPut,
    rawTwoItemTransaction: rawTransact,
    intakeVsRawPutItem: round(saturation.perSecond / rawPut.perSecond),
    note: 'intake = gateway + raw-body HMAC + normalize + SKU/listing lookup (cached when found) + one conditional PutItem; the event leaves via the table-stream outbox (batched PutEvents), then the journal consumer writes 3 items per event; client, runtime and DynamoDB Local share the same CPUs',
  };
};
export default bench;
