import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { inventoryPorts } from '../functions/inventory/adapters/wiring.ts';
import { setSharding } from '../functions/inventory/core/change-stock.ts';
import { reserveStock } from '../functions/inventory/core/reserve-stock.ts';
import { adjustStock } from '../functions/inventory/core/stock-commands.ts';
import { inventoryKeys } from '../functions/inventory/keys.ts';
import { withoutSdkLogging } from '../functions/shared/clients.ts';
import { ensureTable } from '../local/dynamodb.ts';
import { type Bench, measure, round } from './context.ts';

/**
 * Inventory reservations beside the raw engine doing the same shape of write, in the same run:
 * - raw one-item TransactWriteItems with a ClientRequestToken on one hot item, and raw 3-item
 *   TransactWriteItems;
 * - single-line reservations (one one-item TransactWriteItems with a token each) through the core;
 * - multi-line reservations (a TransactWriteItems of the record and two positions);
 * - the position item's size (as DynamoDB bills it) after 1,000 open reservations on it;
 * - a hot SKU split into 10 shards;
 * - optionally single-line over HTTP (gateway, JWT, handler, audit record);
 * - latency from a stock change to ChannelAvailabilityChanged on the local bus.
 * Reservations run on a table of their own in the same DynamoDB Local (same keys and indexes, no
 * stream), so they and the raw writes compete for nothing else; the stream's catch-up after the
 * HTTP run is reported separately. Raw and core runs alternate in blocks (ABBA) so drift on a
 * shared machine affects both alike.
 */
const BENCH_TABLE = 'qm-bench-inventory';
const CONCURRENCY = 32;
/**
 * Single-line reservations spread over this many positions, as a catalogue's orders are; one hot
 * position is measured separately (open reservations are no longer on the item — docs/decisions.md,
 * 2026-12-05 — so it should cost the same).
 */
const POSITIONS = 64;
const WARM_POSITIONS = 16;
/** Blocks of the path (and as many of its raw baseline) per measurement; even, for ABBA pairs. */
const BLOCKS = 8;
type Measured = Awaited<ReturnType<typeof measure>>;

const bench: Bench = async ({ runtime, scale }) => {
  const total = Math.max(200, Math.round(2000 * scale));
  const endpoint = `http://127.0.0.1:${runtime.config.ddbPort}`;
  // One client for the raw baseline and the core paths alike, configured as the functions' own.
  const base = withoutSdkLogging(
    new DynamoDBClient({
      endpoint,
      region: runtime.config.region,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 1,
    }),
  );
  const db = DynamoDBDocumentClient.from(base, { marshallOptions: { removeUndefinedValues: true } });
  await ensureTable(base, BENCH_TABLE, { stream: false });
  const silent = { publish: async () => undefined };
  const ports = inventoryPorts({ db, table: BENCH_TABLE, events: silent });
  const ctx = { actor: 'bench', correlationId: 'bench' };
  const run = Date.now().toString(36);
  // The runtime's own table first: DynamoDB Local can answer TrimmedDataAccessException to a stream
  // reader whose first record arrives after a long idle spell on an empty table.
  await runtime.api('PUT', '/api/locations/BWH', { body: { name: 'Bench', type: 'warehouse' } });
  await runtime.api('PUT', `/api/skus/B-${run}-HTTP`, { body: { name: 'bench http' } });
  await runtime.api('POST', '/api/inventory/adjustments', {
    body: {
      sku: `B-${run}-HTTP`,
      locationId: 'BWH',
      delta: 100_000,
      reason: 'bench',
      idempotencyKey: `bench-http-${run}`,
    },
  });

  // Set-up: a location, SKUs, plenty of stock.
  const now = new Date().toISOString();
  await ports.positions.putLocation({
    locationId: 'BWH',
    name: 'Bench',
    type: 'warehouse',
    createdAt: now,
    updatedAt: now,
  });
  const positionSkus = Array.from({ length: POSITIONS }, (_, i) => `B-${run}-${i}`);
  const warmSkus = Array.from({ length: WARM_POSITIONS }, (_, i) => `B-${run}-W${i}`);
  const sizeSku = `B-${run}-SIZE`;
  const skus = [...positionSkus, ...warmSkus, `B-${run}-HOT`, `B-${run}-ONE`, sizeSku];
  for (const sku of skus) {
    await db.send(
      new PutCommand({
        TableName: BENCH_TABLE,
        Item: {
          pk: `SKU#${sku}`,
          sk: 'SKU',
          entity: 'Sku',
          sku,
          name: sku,
          barcodes: [],
          createdAt: now,
          updatedAt: now,
        },
      }),
    );
  }
  await setSharding(ports, `B-${run}-HOT`, 10, ctx);
  for (const sku of skus) {
    await adjustStock(
      ports,
      { sku, locationId: 'BWH', delta: 1_000_000, reason: 'bench stock', idempotencyKey: `bench-${sku}` },
      ctx,
    );
  }
  for (const key of ['RAW-1', 'RAW-3A', 'RAW-3B', 'RAW-3C']) {
    await db.send(
      new PutCommand({ TableName: BENCH_TABLE, Item: { pk: `BENCH#${run}#${key}`, sk: 'ITEM', n: 0 } }),
    );
  }

  // The raw engine doing what a single-line reservation does: a one-item transaction with a token.
  let tokens = 0;
  const rawUpdate = () =>
    db.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: BENCH_TABLE,
              Key: { pk: `BENCH#${run}#RAW-1`, sk: 'ITEM' },
              UpdateExpression: 'SET n = n + :one',
              ConditionExpression: 'n >= :zero',
              ExpressionAttributeValues: { ':one': 1, ':zero': 0 },
            },
          },
        ],
        ClientRequestToken: `raw-${run}-${tokens++}`,
      }),
    );
  // …and what a two-line reservation does: a transaction of three items (record + two positions).
  const rawTransact = () =>
    db.send(
      new TransactWriteCommand({
        TransactItems: ['RAW-3A', 'RAW-3B', 'RAW-3C'].map((key) => ({
          Update: {
            TableName: BENCH_TABLE,
            Key: { pk: `BENCH#${run}#${key}`, sk: 'ITEM' },
            UpdateExpression: 'SET n = n + :one',
            ConditionExpression: 'n >= :zero',
            ExpressionAttributeValues: { ':one': 1, ':zero': 0 },
          },
        })),
      }),
    );
  let serial = 0;
  const reserveLines = (prefix: string, lines: { sku: string; quantity: number }[]) =>
    reserveStock(
      ports,
      {
        reservationId: `${prefix}-${run}-${serial++}`,
        lines: lines.map((l) => ({ ...l, locationId: 'BWH' })),
      },
      ctx,
    );
  const single = (i: number) =>
    reserveLines('s', [{ sku: positionSkus[i % POSITIONS] as string, quantity: 1 }]);
  const multi = (i: number) =>
    reserveLines('m', [
      { sku: positionSkus[(2 * i) % POSITIONS] as string, quantity: 1 },
      { sku: positionSkus[(2 * i + 1) % POSITIONS] as string, quantity: 1 },
    ]);
  const onePosition = () => reserveLines('o', [{ sku: `B-${run}-ONE`, quantity: 1 }]);
  const sharded = () => reserveLines('h', [{ sku: `B-${run}-HOT`, quantity: 1 }]);

  /**
   * The path and its raw baseline in alternating blocks, ABBA (raw, path, path, raw, …), so drift on
   * a shared machine (JIT, GC, a busy neighbour) falls on both alike; ratio = path rate ÷ raw rate
   * over all blocks.
   */
  async function beside(n: number, path: (i: number) => Promise<unknown>, baseline: () => Promise<unknown>) {
    const block = Math.max(25, Math.round(n / BLOCKS));
    const paths: Measured[] = [];
    const raws: Measured[] = [];
    let done = 0;
    const runPath = async () => {
      const start = done;
      paths.push(await measure(block, CONCURRENCY, (i) => path(start + i)));
      done += block;
    };
    const runRaw = async () => void raws.push(await measure(block, CONCURRENCY, baseline));
    for (let b = 0; b < BLOCKS; b += 2) {
      await runRaw();
      await runPath();
      await runPath();
      await runRaw();
    }
    const measured = combine(paths);
    const raw = combine(raws);
    return { measured, raw, ratio: round(measured.perSecond / raw.perSecond) };
  }

  // Warm the JVM's JIT and the code paths before anything is measured, on positions of their own so
  // the measured positions start without open holds.
  await measure(3000, CONCURRENCY, rawUpdate);
  await measure(600, CONCURRENCY, rawTransact);
  await measure(600, CONCURRENCY, (i) =>
    reserveLines('w', [{ sku: warmSkus[i % WARM_POSITIONS] as string, quantity: 1 }]),
  );
  await measure(300, CONCURRENCY, (i) =>
    reserveLines('w', [
      { sku: warmSkus[(2 * i) % WARM_POSITIONS] as string, quantity: 1 },
      { sku: warmSkus[(2 * i + 1) % WARM_POSITIONS] as string, quantity: 1 },
    ]),
  );

  // The raw engine sending the very transactions the paths send (recorded from one call of each):
  // same expressions, same attribute values, items of the same size; only keys and tokens differ.
  const recorded = recordTransactions(endpoint, runtime.config.region);
  const probePorts = inventoryPorts({ db: recorded.db, table: BENCH_TABLE, events: silent });
  const probeSku = `B-${run}-PROBE`;
  await db.send(
    new PutCommand({
      TableName: BENCH_TABLE,
      Item: { pk: `SKU#${probeSku}`, sk: 'SKU', entity: 'Sku', sku: probeSku, name: probeSku, barcodes: [] },
    }),
  );
  await adjustStock(
    ports,
    {
      sku: probeSku,
      locationId: 'BWH',
      delta: 1_000_000,
      reason: 'bench stock',
      idempotencyKey: `bench-probe-${run}`,
    },
    ctx,
  );
  await reserveStock(
    probePorts,
    { reservationId: `probe-s-${run}`, lines: [{ sku: probeSku, locationId: 'BWH', quantity: 1 }] },
    ctx,
  );
  await reserveStock(
    probePorts,
    {
      reservationId: `probe-m-${run}`,
      lines: [
        { sku: probeSku, locationId: 'BWH', quantity: 1 },
        { sku: positionSkus[0] as string, locationId: 'BWH', quantity: 1 },
      ],
    },
    ctx,
  );
  const [singleShape, multiShape] = recorded.transactions;
  if (!singleShape || !multiShape || recorded.transactions.length !== 2)
    throw new Error(`expected one transaction per probe, recorded ${recorded.transactions.length}`);
  const sameSingle = await replayer(db, run, 'S', singleShape, POSITIONS);
  const sameMulti = await replayer(db, run, 'M', multiShape, POSITIONS);
  const sameOne = await replayer(db, run, 'O', singleShape, 1);
  recorded.client.destroy();
  await measure(600, CONCURRENCY, sameSingle);
  await measure(300, CONCURRENCY, sameMulti);

  const singleLine = await beside(total, single, sameSingle);
  const multiLine = await beside(Math.max(100, Math.round(total / 2)), multi, sameMulti);
  const hot = await beside(Math.min(total, 5000), sharded, sameSingle);
  const one = await beside(Math.min(total, 1000), onePosition, sameOne);
  // For scale: the engine's one-item transaction on a bare three-attribute item.
  const tinyItem = combine([await measure(Math.min(total, 1000), CONCURRENCY, rawUpdate)]);

  // The item a reservation writes, after 1,000 open reservations on it (none closed).
  await measure(1000, CONCURRENCY, () => reserveLines('z', [{ sku: sizeSku, quantity: 1 }]));
  const sizeItem =
    (await db.send(new GetCommand({ TableName: BENCH_TABLE, Key: inventoryKeys.position(sizeSku, 'BWH') })))
      .Item ?? {};
  const sizeBytes = itemBytes(sizeItem);

  // Over HTTP: the full path (gateway, JWT, handler, audit record) on the runtime's own table.
  const httpTotal = Math.max(100, Math.round(total / 4));
  const http = await measure(httpTotal, CONCURRENCY, async (i) => {
    const res = await runtime.api('POST', '/api/reservations', {
      body: {
        reservationId: `http-${run}-${i}`,
        lines: [{ sku: `B-${run}-HTTP`, locationId: 'BWH', quantity: 1 }],
      },
    });
    if (res.status !== 201) throw new Error(`reservation answered ${res.status}`);
  });
  const streamStarted = performance.now();
  await runtime.settle();
  const streamCatchUpSeconds = (performance.now() - streamStarted) / 1000;

  const channelLatency = await channelLatencyBench(runtime, run, Math.max(20, Math.round(60 * scale)));
  base.destroy();

  return {
    positionItemAfter1000OpenHolds: {
      openReservations: Number(sizeItem.reserved ?? 0),
      bytes: sizeBytes,
      // A transactional write is billed 2 units per started KB of the item.
      awsWriteUnitsPerReservation: 2 * Math.max(1, Math.ceil(sizeBytes / 1024)),
    },
    singleLine: {
      reservations: singleLine.measured,
      rawSameTransaction: singleLine.raw,
      ratio: singleLine.ratio,
    },
    multiLine: {
      reservations: multiLine.measured,
      rawSameTransaction: multiLine.raw,
      ratio: multiLine.ratio,
    },
    shardedHotSku10Shards: {
      reservations: hot.measured,
      rawSameTransaction: hot.raw,
      ratio: hot.ratio,
    },
    singleLineOneHotPosition: {
      reservations: one.measured,
      rawSameTransaction: one.raw,
      ratio: one.ratio,
    },
    rawOneItemTransactionOnBareItem: tinyItem,
    singleLineOverHttp: http,
    streamCatchUpAfterHttpSeconds: round(streamCatchUpSeconds),
    stockChangeToChannelAvailabilityChanged: channelLatency,
    note:
      `each path and its raw baseline run in ${BLOCKS} alternating blocks each (ABBA) on the same DynamoDB Local (ratio = path rate ÷ raw rate over all blocks); ` +
      `core paths run on their own table (same keys and indexes, no stream); warm-up uses positions of its own; single-line spreads over ${POSITIONS} positions (0 → ${Math.round(total / POSITIONS)} open reservations each), ` +
      'raw baselines are the very TransactWriteItems each path sends (recorded from one probe call: same expressions and values, copies of the same items, fresh keys and tokens) sent straight to the engine, spread over as many items as the path; ' +
      'single-line is a one-item TransactWriteItems with a ClientRequestToken, multi-line a 3-item one (record + 2 positions); rawOneItemTransactionOnBareItem is a one-item transaction on a 3-attribute item, for scale; ' +
      'the one-hot-position run reserves up to 1,000 open reservations on one item; item size counts attribute names and values as DynamoDB does; ' +
      'HTTP adds gateway, JWT, handler and the kernel audit record; channel ' +
      'latency is from sending an adjustment to its event on the local bus, one change at a time',
  };
};

/**
 * An item's size as DynamoDB bills it: each attribute's name plus its value — strings by their
 * UTF-8 bytes, numbers ~1 byte per two significant digits + 1, sets the sum of their members,
 * maps and lists 3 bytes plus 1 per element plus their contents.
 */
function itemBytes(item: Record<string, unknown>): number {
  const utf8 = (s: string) => Buffer.byteLength(s, 'utf8');
  const value = (v: unknown): number => {
    if (typeof v === 'string') return utf8(v);
    if (typeof v === 'number')
      return Math.ceil(String(Math.abs(v)).replace(/[.-]/g, '').replace(/^0+/, '').length / 2) + 1;
    if (typeof v === 'boolean' || v === null || v === undefined) return 1;
    if (v instanceof Set) return [...v].reduce((s: number, m) => s + value(m), 0);
    if (Array.isArray(v)) return 3 + v.reduce((s: number, m) => s + 1 + value(m), 0);
    if (typeof v === 'object')
      return 3 + Object.entries(v as object).reduce((s, [k, m]) => s + 1 + utf8(k) + value(m), 0);
    return 0;
  };
  return Object.entries(item).reduce((s, [k, v]) => s + utf8(k) + value(v), 0);
}

/** A document client that keeps every TransactWriteItems input it is given (before marshalling). */
function recordTransactions(endpoint: string, region: string) {
  const client = withoutSdkLogging(
    new DynamoDBClient({
      endpoint,
      region,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 1,
    }),
  );
  const db = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  const transactions: TransactWriteCommandInput[] = [];
  db.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'TransactWriteItemsCommand')
        transactions.push(structuredClone(args.input as TransactWriteCommandInput));
      return next(args);
    },
    { step: 'initialize', name: 'benchTransactionRecorder', priority: 'high' },
  );
  return { client, db, transactions };
}

/**
 * Sends `shape` again and again through the same kind of client as the paths: each updated item
 * is a copy of the item the path wrote (`copies` of each, used in turn as the path spreads over
 * its positions), each put item gets a fresh partition key, each call a fresh token.
 */
async function replayer(
  db: DynamoDBDocumentClient,
  run: string,
  tag: string,
  shape: TransactWriteCommandInput,
  copies: number,
) {
  type Key = Record<string, unknown>;
  const copyKey = (key: Key, n: number): Key => ({ ...key, pk: `BENCHCOPY#${run}#${tag}#${n}#${key.pk}` });
  for (const item of shape.TransactItems ?? []) {
    const target = item.Update ?? item.ConditionCheck;
    if (!target?.Key) continue;
    const original = (
      await db.send(new GetCommand({ TableName: target.TableName, Key: target.Key, ConsistentRead: true }))
    ).Item;
    if (!original) throw new Error('a recorded transaction updates an item that does not exist');
    for (let n = 0; n < copies; n++)
      await db.send(
        new PutCommand({ TableName: target.TableName, Item: { ...original, ...copyKey(target.Key, n) } }),
      );
  }
  let call = 0;
  return () => {
    const n = call++;
    const items = (shape.TransactItems ?? []).map((item) => {
      if (item.Update) return { Update: { ...item.Update, Key: copyKey(item.Update.Key ?? {}, n % copies) } };
      if (item.ConditionCheck)
        return {
          ConditionCheck: { ...item.ConditionCheck, Key: copyKey(item.ConditionCheck.Key ?? {}, n % copies) },
        };
      if (item.Put)
        return { Put: { ...item.Put, Item: { ...item.Put.Item, pk: `BENCHPUT#${run}#${tag}#${n}` } } };
      return item;
    });
    return db.send(
      new TransactWriteCommand({
        TransactItems: items as TransactWriteCommandInput['TransactItems'],
        ...(shape.ClientRequestToken ? { ClientRequestToken: `raw-${run}-${tag}-${n}` } : {}),
      }),
    );
  };
}

function combine(runs: { operations: number; seconds: number; p50Ms: number; p99Ms: number }[]) {
  const operations = runs.reduce((s, r) => s + r.operations, 0);
  const seconds = runs.reduce((s, r) => s + r.seconds, 0);
  return {
    operations,
    seconds: round(seconds),
    perSecond: round(operations / seconds),
    p50Ms: round(Math.max(...runs.map((r) => r.p50Ms))),
    p99Ms: round(Math.max(...runs.map((r) => r.p99Ms))),
  };
}

/** p50/p99 from sending a stock change to its ChannelAvailabilityChanged on the local bus. */
async function channelLatencyBench(runtime: Parameters<Bench>[0]['runtime'], run: string, samples: number) {
  const sku = `B-${run}-CH`;
  const channelId = `bench-${run}`;
  // The channel through its API, as an operator creates it: inventory learns of it from
  // ChannelUpserted (its own read model), so the first change below already has a channel.
  const channel = await runtime.api('PUT', `/api/channels/${channelId}`, {
    body: { type: 'generic', secret: 'bench-channel-signing-key', locationIds: ['BWH'] },
  });
  if (channel.status >= 300) throw new Error(`channel setup answered ${channel.status}`);
  await runtime.api('PUT', `/api/skus/${sku}`, { body: { name: 'bench channel' } });
  await runtime.settle();
  const waiting = new Map<number, (at: number) => void>();
  const stop = runtime.bus.onEvent((event) => {
    if (event['detail-type'] !== 'ChannelAvailabilityChanged') return;
    const data = (event.detail as { data: { sku: string; channel: string; available: number } }).data;
    if (data.sku !== sku || data.channel !== channelId) return;
    waiting.get(data.available)?.(performance.now());
  });
  const latencies: number[] = [];
  try {
    for (let i = 1; i <= samples; i++) {
      const heard = new Promise<number>((resolve) => waiting.set(i, resolve));
      const sent = performance.now();
      const res = await runtime.api('POST', '/api/inventory/adjustments', {
        body: {
          sku,
          locationId: 'BWH',
          delta: 1,
          reason: 'bench channel',
          idempotencyKey: `bench-ch-${run}-${i}`,
        },
      });
      if (res.status !== 201) throw new Error(`adjustment answered ${res.status}`);
      const at = await Promise.race([
        heard,
        new Promise<number>((_, reject) => setTimeout(() => reject(new Error('no event in 10 s')), 10_000)),
      ]);
      latencies.push(at - sent);
      waiting.delete(i);
    }
  } finally {
    stop();
  }
  latencies.sort((a, b) => a - b);
  const pct = (p: number) =>
    round(latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0);
  return {
    samples: latencies.length,
    p50Ms: pct(0.5),
    p99Ms: pct(0.99),
    maxMs: round(latencies.at(-1) ?? 0),
  };
}

export default bench;
