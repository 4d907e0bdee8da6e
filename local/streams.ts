import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  type _Record,
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import { withoutSdkLogging } from '../functions/shared/clients.ts';
import type { StreamConsumerSpec } from '../lib/manifest/types.ts';

/**
 * Polls the table's stream in DynamoDB Local and hands batches to the manifest's stream
 * consumers in the shape Lambda's event source mapping delivers (`{ Records: [...] }`).
 * Each consumer has a loop of its own over the shards, with its own iterator per shard, as each
 * event source mapping on AWS has: a slow consumer (the ledger writing movements) falls behind on
 * its own and never holds back another (the orders outbox publishing events).
 * Every loop starts at the stream's current end (LATEST): consumers are idempotent, and records
 * written while the runtime was down were already processed before it stopped or are covered by
 * the invariant checker.
 */
const RECORDS_PER_READ = 25;
/** How long a loop that found nothing waits before it reads again. */
const IDLE_POLL_MS = 50;
/** A loop looks for new shards every this many passes (and whenever it has none). */
const PASSES_PER_SHARD_REFRESH = 20;

export class StreamPoller {
  private readonly state = { stopped: false };
  private readonly loops: ConsumerLoop[] = [];
  private running: Promise<void>[] = [];

  constructor(
    private readonly ddb: DynamoDBClient,
    private readonly streams: DynamoDBStreamsClient,
    private readonly tableName: string,
    private readonly consumers: readonly StreamConsumerSpec[],
    private readonly invoke: (fn: string, event: unknown) => Promise<unknown>,
    private readonly region: string,
  ) {}

  static create(
    ddb: DynamoDBClient,
    endpoint: string,
    ...rest: [string, readonly StreamConsumerSpec[], (fn: string, event: unknown) => Promise<unknown>, string]
  ) {
    const streams = withoutSdkLogging(
      new DynamoDBStreamsClient({
        endpoint,
        region: rest[3],
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      }),
    );
    return new StreamPoller(ddb, streams, ...rest);
  }

  async start(): Promise<void> {
    if (this.consumers.length === 0) return;
    const table = await this.ddb.send(new DescribeTableCommand({ TableName: this.tableName }));
    const streamArn = table.Table?.LatestStreamArn;
    if (!streamArn) throw new Error(`Table ${this.tableName} has no stream`);
    for (const consumer of this.consumers) {
      const loop = new ConsumerLoop(consumer, this.streams, streamArn, this.invoke, this.region, this.state);
      // Every loop holds its LATEST iterators before start() returns: nothing written after it is missed.
      await loop.refreshShards('LATEST');
      this.loops.push(loop);
    }
    this.running = this.loops.map((loop) => loop.run());
  }

  /**
   * True when every consumer has caught up: its last pass over the shards found nothing and it
   * is delivering nothing (tests and `settle()` wait for quiescence).
   */
  isIdle(): boolean {
    return this.loops.every((loop) => loop.idle);
  }

  async stop(): Promise<void> {
    this.state.stopped = true;
    await Promise.all(this.running);
    this.streams.destroy();
  }
}

/** One consumer's event source mapping: its own position in every shard, its own pace. */
class ConsumerLoop {
  private readonly iterators = new Map<string, string>();
  private readonly finished = new Set<string>();
  /** Caught up: the last full pass found nothing, and no batch is being delivered. */
  idle = true;

  constructor(
    private readonly consumer: StreamConsumerSpec,
    private readonly streams: DynamoDBStreamsClient,
    private readonly streamArn: string,
    private readonly invoke: (fn: string, event: unknown) => Promise<unknown>,
    private readonly region: string,
    private readonly state: { readonly stopped: boolean },
  ) {}

  async refreshShards(type: 'LATEST' | 'TRIM_HORIZON'): Promise<void> {
    const desc = await this.streams.send(new DescribeStreamCommand({ StreamArn: this.streamArn }));
    for (const shard of desc.StreamDescription?.Shards ?? []) {
      const id = shard.ShardId as string;
      if (this.iterators.has(id) || this.finished.has(id)) continue;
      // Shards that appear after start are read from their beginning, so nothing is skipped.
      const it = await this.streams.send(
        new GetShardIteratorCommand({ StreamArn: this.streamArn, ShardId: id, ShardIteratorType: type }),
      );
      if (it.ShardIterator) this.iterators.set(id, it.ShardIterator);
    }
  }

  async run(): Promise<void> {
    let sinceRefresh = 0;
    while (!this.state.stopped) {
      let delivered = 0;
      try {
        for (const [shardId, iterator] of [...this.iterators]) {
          if (this.state.stopped) return;
          let out: Awaited<ReturnType<typeof this.getRecords>>;
          try {
            out = await this.getRecords(iterator);
          } catch (error) {
            // DynamoDB Local answers TrimmedDataAccess when the first record lands on a stream
            // that sat idle and empty, and iterators expire after 15 minutes: start the shard
            // over from its oldest record (consumers are idempotent), never crash the runtime.
            const name = (error as Error).name;
            if (name !== 'TrimmedDataAccessException' && name !== 'ExpiredIteratorException') throw error;
            this.iterators.delete(shardId);
            await this.refreshShards('TRIM_HORIZON');
            continue;
          }
          const records = out.Records ?? [];
          if (records.length) {
            delivered += records.length;
            this.idle = false;
            await this.deliver(records.map(asLambdaRecord));
          }
          if (out.NextShardIterator) this.iterators.set(shardId, out.NextShardIterator);
          else {
            this.iterators.delete(shardId);
            this.finished.add(shardId);
          }
        }
        if (++sinceRefresh >= PASSES_PER_SHARD_REFRESH || this.iterators.size === 0) {
          sinceRefresh = 0;
          await this.refreshShards('TRIM_HORIZON');
        }
      } catch (error) {
        if (this.state.stopped) return;
        console.error(`[streams] ${this.consumer.name}: polling failed; retrying`, error);
        await sleep(500);
      }
      this.idle = delivered === 0;
      if (delivered === 0) await sleep(IDLE_POLL_MS);
    }
  }

  private getRecords(iterator: string) {
    // Small pages: a page is decoded in one synchronous stretch (position images carry their
    // holds), and every API request in flight waits behind it. Consumers get smaller batches.
    return this.streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: RECORDS_PER_READ }));
  }

  private async deliver(records: _Record[]): Promise<void> {
    const size = this.consumer.batchSize ?? 100;
    for (let i = 0; i < records.length; i += size) {
      const batch = records.slice(i, i + size).map((r) => ({
        ...r,
        eventSource: 'aws:dynamodb',
        awsRegion: this.region,
        eventSourceARN: this.streamArn,
      }));
      // Lambda retries a failed batch until it succeeds or the record ages out; so do we,
      // with a short back-off, so a transient failure never skips records.
      for (let attempt = 1; ; attempt++) {
        try {
          await this.invoke(this.consumer.fn, { Records: batch });
          break;
        } catch (error) {
          if (this.state.stopped || attempt >= 10) {
            console.error(
              `[streams] ${this.consumer.name} failed ${attempt} times; giving up on batch`,
              error,
            );
            break;
          }
          await sleep(50 * attempt);
        }
      }
    }
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The streams SDK client reads an empty map as `{}` instead of `{ M: {} }`; Lambda receives the
 * service's JSON, where it is `{ M: {} }`. Hand consumers what Lambda would.
 */
function repairAttribute(value: unknown): unknown {
  if (!value || typeof value !== 'object') return value;
  const v = value as Record<string, unknown>;
  if (Object.keys(v).length === 0) return { M: {} };
  if (v.M && typeof v.M === 'object') return { M: repairImage(v.M as Record<string, unknown>) };
  if (Array.isArray(v.L)) return { L: v.L.map(repairAttribute) };
  return v;
}

function repairImage(image: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(image).map(([k, v]) => [k, repairAttribute(v)]));
}

function asLambdaRecord(record: _Record): _Record {
  const d = record.dynamodb;
  if (!d) return record;
  return {
    ...record,
    dynamodb: {
      ...d,
      ...(d.NewImage ? { NewImage: repairImage(d.NewImage) as typeof d.NewImage } : {}),
      ...(d.OldImage ? { OldImage: repairImage(d.OldImage) as typeof d.OldImage } : {}),
      ...(d.Keys ? { Keys: repairImage(d.Keys) as typeof d.Keys } : {}),
    },
  };
}
