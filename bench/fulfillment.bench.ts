import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { hmacSha256 } from '../functions/shared/webhooks.ts';
import {
  awaitReleased,
  fulfillmentsAt,
  openFloor,
  packAndShip,
  pickWave,
  planAllWaves,
  sideBySide,
  twoZoneFloor,
  volumeOrderLines,
} from '../test/support/warehouse-floor.ts';
import { type Bench, measure, round } from './context.ts';

/**
 * The warehouse floor on the local runtime, through the same HTTP routes as the scanner and the
 * pack station:
 * - released → shipped: 200 one- and two-line orders released to one warehouse with two carrier
 *   cutoffs are waved, picked (two associates per wave, one scan per bin and one counted scan per
 *   task), packed unit by unit and shipped by two pack stations; from the moment all 200 are
 *   released until the last is shipped;
 * - pick scans: a wave of 400 units picked unit by unit by four associates, each scan timed
 *   (a scan = claim check, bin → staging move in inventory, task and fulfillment update);
 * - beside it, the raw engine doing the same number of conditional UpdateItems on the same table.
 */
const SECRET = 'bench-floor-signing-key';
const CHANNEL = 'bench-floor';
const SKUS = ['BF-TEE', 'BF-CAP', 'BF-MUG', 'BF-SOCK'];
const SITE = 'BENCH-FLOOR';

const percentile = (sorted: number[], p: number) =>
  round(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0);

async function sendOrders(
  url: string,
  count: number,
  prefix: string,
  lines: (i: number) => { sku: string; quantity: number }[],
) {
  await sideBySide(
    Array.from({ length: count }, (_, i) => i),
    8,
    async (i) => {
      const externalId = `${prefix}-${i}`;
      const body = JSON.stringify({
        externalId,
        placedAt: new Date().toISOString(),
        currency: 'USD',
        lines: lines(i).map((l, n) => ({ lineId: `L${n + 1}`, ...l, unitPrice: '12.00' })),
        shipTo: {
          name: 'Bench',
          line1: '1 Load St',
          city: 'Newark',
          region: 'NJ',
          postalCode: '07102',
          country: 'US',
        },
        payment: { status: 'paid' },
        serviceLevel: i % 2 === 0 ? 'expedited' : 'standard',
        customerRef: 'bench',
      });
      const res = await fetch(`${url}/webhooks/orders/${CHANNEL}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-qm-signature': `sha256=${hmacSha256(SECRET, body, 'hex')}`,
          'idempotency-key': externalId,
        },
        body,
      });
      if (res.status >= 300) throw new Error(`order ${externalId}: ${res.status} ${await res.text()}`);
    },
  );
}

const bench: Bench = async ({ runtime: rt, raw, tableName, scale }) => {
  const orders = Math.max(20, Math.round(200 * scale));
  const scanUnits = Math.max(40, Math.round(400 * scale));
  await openFloor(rt, twoZoneFloor(SITE, SKUS, 2 * (orders + scanUnits)));
  const channel = await rt.api('PUT', `/api/channels/${CHANNEL}`, {
    body: { type: 'generic', secret: SECRET, locationIds: [SITE] },
  });
  if (channel.status >= 300) throw new Error(`channel: ${JSON.stringify(channel.body)}`);

  // Released → shipped.
  await sendOrders(rt.url, orders, 'flow', (i) => volumeOrderLines(SKUS, i));
  const released = await awaitReleased(rt, SITE, orders, 300_000);
  process.stderr.write(`fulfillment bench: ${released.length} released, picking…\n`);
  const started = performance.now();
  const waves = await planAllWaves(rt, SITE, 50);
  const pickedAt = { ms: 0 };
  for (const wave of waves)
    await Promise.all([
      pickWave(rt, wave.waveId, { associate: 'ana' }),
      pickWave(rt, wave.waveId, { associate: 'ben' }),
    ]);
  pickedAt.ms = performance.now() - started;
  await sideBySide(
    released.map((f) => f.fulfillmentId as string),
    2,
    async (id) => {
      await packAndShip(rt, id, `BENCH${id.replace(/[^A-Za-z0-9]/g, '').slice(-12)}`);
    },
  );
  const seconds = (performance.now() - started) / 1000;
  const shipped = (await fulfillmentsAt(rt, SITE, 'shipped')).length;

  // Pick scans, one unit at a time.
  await sendOrders(rt.url, scanUnits / 2, 'scan', (i) => [{ sku: SKUS[i % 4] as string, quantity: 2 }]);
  await awaitReleased(rt, SITE, scanUnits / 2, 300_000);
  const scanWaves = await planAllWaves(rt, SITE, 90);
  const latencies: number[] = [];
  const scanStarted = performance.now();
  for (const wave of scanWaves)
    await Promise.all(
      Array.from({ length: 4 }, () =>
        pickWave(rt, wave.waveId, { unitByUnit: true, onScan: (ms) => latencies.push(ms) }),
      ),
    );
  const scanSeconds = (performance.now() - scanStarted) / 1000;
  latencies.sort((a, b) => a - b);

  // The raw engine: the same number of conditional UpdateItems, same concurrency.
  const rawItems = 64;
  for (let i = 0; i < rawItems; i++)
    await raw.send(
      new PutCommand({ TableName: tableName, Item: { pk: `BENCHSCAN#${i}`, sk: 'RAW', picked: 0 } }),
    );
  const rawUpdate = await measure(latencies.length, 4, (i) =>
    raw.send(
      new UpdateCommand({
        TableName: tableName,
        Key: { pk: `BENCHSCAN#${i % rawItems}`, sk: 'RAW' },
        UpdateExpression: 'ADD picked :one',
        ConditionExpression: 'attribute_exists(pk) AND picked < :max',
        ExpressionAttributeValues: { ':one': 1, ':max': 1_000_000 },
      }),
    ),
  );

  const scansPerSecond = round(latencies.length / scanSeconds);
  return {
    releasedToShipped: {
      orders,
      shipped,
      waves: waves.length,
      seconds: round(seconds),
      pickedAfterSeconds: round(pickedAt.ms / 1000),
      ordersPerSecond: round(shipped / seconds),
    },
    pickScansOverHttp: {
      operations: latencies.length,
      seconds: round(scanSeconds),
      perSecond: scansPerSecond,
      p50Ms: percentile(latencies, 0.5),
      p99Ms: percentile(latencies, 0.99),
    },
    rawConditionalUpdateItem: rawUpdate,
    scanVsRawUpdate: round(scansPerSecond / rawUpdate.perSecond),
    note: 'released → shipped: 2 associates per wave (bin scan + one counted scan per task), 2 pack stations (unit scans, one package, ship), all over HTTP with JWTs; scans: 4 associates, one unit per scan, each scan moves the unit bin → staging through inventory; raw = one conditional UpdateItem per scan at the same concurrency; sender, runtime and DynamoDB Local share the same 2 CPUs',
  };
};

export default bench;
