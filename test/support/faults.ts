import {
  DynamoDBClient,
  ProvisionedThroughputExceededException,
  ThrottlingException,
  TransactionCanceledException,
  TransactionConflictException,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { dynamoSkuRepository } from '../../functions/catalog/adapters/sku-repository.ts';
import type { Sku } from '../../functions/catalog/schemas/sku.ts';
import { streamChanges } from '../../functions/inventory/adapters/stream-images.ts';
import { inventoryPorts } from '../../functions/inventory/adapters/wiring.ts';
import { processStockStream } from '../../functions/inventory/core/stream-consumer.ts';
import type { DomainEvent, EventPublisher } from '../../functions/shared/events.ts';
import type { StreamConsumerSpec } from '../../lib/manifest/types.ts';
import { ensureTable, startDynamoDbLocal } from '../../local/dynamodb.ts';
import { StreamPoller, type StreamPollerOptions } from '../../local/streams.ts';
import { freePort } from './ports.ts';

/**
 * Fault injection for DynamoDB clients. DynamoDB Local never conflicts, never throttles and
 * never loses a reply, so tests add those faults with an SDK middleware on the client's stack:
 * - `conflict`:  TransactWriteItems → TransactionCanceledException (TransactionConflict);
 *                single writes → TransactionConflictException (an item locked by a transaction);
 * - `throttle`:  ProvisionedThroughputExceededException or ThrottlingException;
 * - `lostReply`: the write is sent and COMMITS, then the caller gets a network error, so its
 *                retry must recognise its own earlier success.
 * Faults are drawn from a seeded generator, so a failing run replays exactly. The middleware
 * sits at the `initialize` step, outside the SDK's own retries: the code under test sees them.
 */
export interface FaultOptions {
  seed: number;
  /** Probabilities per write request, 0–1. */
  conflict?: number;
  throttle?: number;
  lostReply?: number;
  /** Also throttle reads with this probability. @default 0 */
  readThrottle?: number;
}

export interface FaultController {
  readonly injected: { conflict: number; throttle: number; lostReply: number };
  /** Pauses or resumes injection (set-up and assertions run clean). */
  enabled: boolean;
}

/** A small seeded PRNG (mulberry32): the same seed gives the same fault sequence. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Input = Record<string, unknown>;
const isTransaction = (input: Input) => Array.isArray(input.TransactItems);
const isWrite = (input: Input) =>
  isTransaction(input) ||
  typeof input.UpdateExpression === 'string' ||
  (input.Item !== undefined && input.Key === undefined) ||
  (input.RequestItems !== undefined &&
    Object.values(input.RequestItems as Record<string, unknown>).some(Array.isArray));

export function injectFaults(client: DynamoDBClient, opts: FaultOptions): FaultController {
  const random = seededRandom(opts.seed);
  const controller: FaultController = { injected: { conflict: 0, throttle: 0, lostReply: 0 }, enabled: true };
  const meta = { $metadata: {} };
  client.middlewareStack.add(
    (next) => async (args) => {
      const input = (args.input ?? {}) as Input;
      if (!controller.enabled) return next(args);
      const write = isWrite(input);
      const roll = random();
      let edge = write ? (opts.conflict ?? 0) : 0;
      if (roll < edge) {
        controller.injected.conflict++;
        if (isTransaction(input)) {
          const items = (input.TransactItems as unknown[]).length;
          throw new TransactionCanceledException({
            ...meta,
            message:
              'Transaction cancelled, please refer cancellation reasons for specific reasons [TransactionConflict]',
            CancellationReasons: Array.from({ length: items }, (_, i) => ({
              Code: i === 0 ? 'TransactionConflict' : 'None',
            })),
          });
        }
        throw new TransactionConflictException({ ...meta, message: 'Transaction is ongoing for the item' });
      }
      edge += write ? (opts.throttle ?? 0) : (opts.readThrottle ?? 0);
      if (roll < edge) {
        controller.injected.throttle++;
        if (random() < 0.5) {
          throw new ProvisionedThroughputExceededException({
            ...meta,
            message: 'Rate of requests exceeds the allowed throughput',
          });
        }
        throw new ThrottlingException({ ...meta, message: 'Rate exceeded' });
      }
      edge += write ? (opts.lostReply ?? 0) : 0;
      if (roll < edge) {
        // Sent and committed (a write that fails on its own, e.g. a condition, throws here as usual).
        await next(args);
        controller.injected.lostReply++;
        throw Object.assign(new Error('socket hang up (reply lost after commit)'), {
          name: 'TimeoutError',
          code: 'ECONNRESET',
          $metadata: {},
        });
      }
      return next(args);
    },
    { step: 'initialize', name: 'qmFaultInjection', priority: 'high' },
  );
  return controller;
}

/* ------------------------------------------------------------------------------------------ */
/* A DynamoDB Local harness for the inventory core: the table, the stream consumer (the same   */
/* core the Lambda runs, fed by the local runtime's StreamPoller) and optional faults. Much     */
/* faster than the HTTP runtime for property and concurrency tests.                           */
/* ------------------------------------------------------------------------------------------ */

export interface InventoryHarness {
  table: string;
  /** Ports for the code under test (faulty client when faults are configured). */
  ports: ReturnType<typeof inventoryPorts>;
  /** A clean document client on the same table, for set-up and for assertions. */
  db: DynamoDBDocumentClient;
  faults: FaultController | undefined;
  events: DomainEvent[];
  putSku(sku: string, def?: Partial<Omit<Sku, 'sku' | 'createdAt' | 'updatedAt'>>): Promise<void>;
  putLocation(id: string): Promise<void>;
  /** Stores a channel in inventory's read model, as its ChannelUpserted consumer does. */
  putChannel(channel: {
    channelId: string;
    locationIds: string[];
    exposure?: { percent?: number; buffer?: number; cap?: number; floor?: number };
  }): Promise<void>;
  /** Resolves once the stream consumer has processed everything written so far. */
  settle(): Promise<void>;
  /** The poller feeding the consumers now (a restart replaces it). */
  readonly poller: StreamPoller;
  /**
   * Stops the stream poller, runs `whileStopped` (writes made while no consumer runs), then
   * starts a new poller, as a redeployed or crashed runtime would.
   */
  restartStreams(whileStopped?: () => Promise<void>): Promise<void>;
  endpoint: string;
  stop(): Promise<void>;
}

/** How the poller invokes a consumer function: Lambda's `(fn, { Records })`. */
type StreamInvoke = (fn: string, event: unknown) => Promise<unknown>;

export interface HarnessOptions {
  faults?: FaultOptions;
  table?: string;
  /** A running DynamoDB Local to use (it is left running on stop); otherwise one is started. */
  endpoint?: string;
  /** The stream consumer meets the faults too. @default true */
  consumerFaults?: boolean;
  /** Wraps the ledger consumer as the poller invokes it (e.g. to make it fail on one record). */
  wrapLedgerConsumer?: (invoke: StreamInvoke) => StreamInvoke;
  /** The poller's options: a `stateDir` keeps checkpoints across `restartStreams()`. */
  streams?: StreamPollerOptions;
  /** More consumers of the same stream, each with its own loop (as each event source mapping). */
  extraConsumers?: readonly { spec: StreamConsumerSpec; invoke: StreamInvoke }[];
}

const REGION = 'us-east-1';
const CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };
const MARSHALL = { marshallOptions: { removeUndefinedValues: true } };

export async function startInventoryHarness(opts: HarnessOptions = {}): Promise<InventoryHarness> {
  // A file that needs several set-ups shares one DynamoDB Local (a table each): Java is slow to start.
  const ddb = opts.endpoint
    ? { endpoint: opts.endpoint, stop: async () => undefined }
    : await startDynamoDbLocal({ port: await freePort(), inMemory: true });
  const table = opts.table ?? 'qm-inventory-test';
  const clean = new DynamoDBClient({
    endpoint: ddb.endpoint,
    region: REGION,
    credentials: CREDENTIALS,
    maxAttempts: 3,
  });
  // The code under test gets its own client: faults go on its stack only.
  const testClient = new DynamoDBClient({
    endpoint: ddb.endpoint,
    region: REGION,
    credentials: CREDENTIALS,
    maxAttempts: 1,
  });
  const faults = opts.faults ? injectFaults(testClient, opts.faults) : undefined;
  await ensureTable(clean, table);
  const db = DynamoDBDocumentClient.from(clean, MARSHALL);
  const events: DomainEvent[] = [];
  const publisher: EventPublisher = {
    async publish(list) {
      events.push(...list);
    },
  };
  const ports = inventoryPorts({
    db: DynamoDBDocumentClient.from(testClient, MARSHALL),
    table,
    events: publisher,
    shardCacheMs: 0,
    catalogCacheMs: 0,
  });
  const consumerPorts = inventoryPorts({
    db: DynamoDBDocumentClient.from(opts.consumerFaults === false ? clean : testClient, MARSHALL),
    table,
    events: publisher,
    catalogCacheMs: 0,
  });
  const ledgerConsumer: StreamInvoke = async (_fn, event) => {
    await processStockStream(consumerPorts, streamChanges((event as { Records: [] }).Records));
  };
  const ledger = opts.wrapLedgerConsumer ? opts.wrapLedgerConsumer(ledgerConsumer) : ledgerConsumer;
  const extra = opts.extraConsumers ?? [];
  const newPoller = () =>
    StreamPoller.create(
      clean,
      ddb.endpoint,
      table,
      [
        { name: 'inventory-ledger', description: 'test', fn: 'stockStream', batchSize: 100 },
        ...extra.map((c) => c.spec),
      ],
      (fn, event) => (fn === 'stockStream' ? ledger(fn, event) : routeExtra(fn, event)),
      REGION,
      opts.streams,
    );
  const routeExtra: StreamInvoke = async (fn, event) => {
    const consumer = extra.find((c) => c.spec.fn === fn);
    if (!consumer) throw new Error(`no stream consumer ${fn}`);
    return consumer.invoke(fn, event);
  };
  let poller = newPoller();
  await poller.start();
  const skus = dynamoSkuRepository(table, db);
  const now = () => new Date().toISOString();

  return {
    table,
    endpoint: ddb.endpoint,
    get poller() {
      return poller;
    },
    ports,
    db,
    faults,
    events,
    async putSku(sku, def = {}) {
      const previous = await skus.get(sku);
      await skus.save(
        {
          sku,
          name: def.name ?? sku,
          barcodes: [],
          ...def,
          createdAt: previous?.createdAt ?? now(),
          updatedAt: now(),
        },
        previous,
      );
    },
    async putLocation(id) {
      await ports.positions.putLocation({
        locationId: id,
        name: id,
        type: 'warehouse',
        createdAt: now(),
        updatedAt: now(),
      });
    },
    async putChannel(channel) {
      // What inventory's ChannelUpserted consumer stores: its own read model of the channel.
      await ports.channels.channels.save({ ...channel, updatedAt: now() });
    },
    async settle() {
      for (let quiet = 0; quiet < 3; ) {
        await new Promise((r) => setTimeout(r, 80));
        quiet = poller.isIdle() ? quiet + 1 : 0;
      }
    },
    async restartStreams(whileStopped) {
      await poller.stop();
      await whileStopped?.();
      poller = newPoller();
      await poller.start();
    },
    async stop() {
      await poller.stop();
      await ddb.stop();
      clean.destroy();
      testClient.destroy();
    },
  };
}
