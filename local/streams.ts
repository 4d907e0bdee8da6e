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
 * It starts at the stream's current end (LATEST): consumers are idempotent, and records
 * written while the runtime was down were already processed before it stopped or are
 * covered by the invariant checker.
 */
const RECORDS_PER_READ = 25;

export class StreamPoller {
  private stopped = false;
  private loop: Promise<void> | undefined;
  private readonly iterators = new Map<string, string>();
  private readonly finished = new Set<string>();
  private idle = true;

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
    await this.refreshShards(streamArn, 'LATEST');
    this.loop = this.run(streamArn);
  }

  /** True when the last poll found nothing to deliver (tests wait for quiescence). */
  isIdle(): boolean {
    return this.idle;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
    this.streams.destroy();
  }

  private async refreshShards(streamArn: string, type: 'LATEST' | 'TRIM_HORIZON') {
    const desc = await this.streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    for (const shard of desc.StreamDescription?.Shards ?? []) {
      const id = shard.ShardId as string;
      if (this.iterators.has(id) || this.finished.has(id)) continue;
      // Shards that appear after start are read from their beginning, so nothing is skipped.
      const it = await this.streams.send(
        new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: id, ShardIteratorType: type }),
      );
      if (it.ShardIterator) this.iterators.set(id, it.ShardIterator);
    }
  }

  private async run(streamArn: string): Promise<void> {
    let sinceRefresh = 0;
    while (!this.stopped) {
      let delivered = 0;
      try {
        for (const [shardId, iterator] of [...this.iterators]) {
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
            await this.refreshShards(streamArn, 'TRIM_HORIZON');
            continue;
          }
          const records = out.Records ?? [];
          if (records.length) {
            delivered += records.length;
            await this.deliver(records.map(asLambdaRecord), streamArn);
          }
          if (out.NextShardIterator) this.iterators.set(shardId, out.NextShardIterator);
          else {
            this.iterators.delete(shardId);
            this.finished.add(shardId);
          }
        }
        if (++sinceRefresh >= 20 || this.iterators.size === 0) {
          sinceRefresh = 0;
          await this.refreshShards(streamArn, 'TRIM_HORIZON');
        }
      } catch (error) {
        if (this.stopped) return;
        console.error('[streams] polling failed; retrying', error);
        await new Promise((r) => setTimeout(r, 500));
      }
      this.idle = delivered === 0;
      if (delivered === 0) await new Promise((r) => setTimeout(r, 50));
    }
  }

  private getRecords(iterator: string) {
    // Small pages: a page is decoded in one synchronous stretch (position images carry their
    // holds), and every API request in flight waits behind it. Consumers get smaller batches.
    return this.streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: RECORDS_PER_READ }));
  }

  private async deliver(records: _Record[], streamArn: string): Promise<void> {
    for (const consumer of this.consumers) {
      const size = consumer.batchSize ?? 100;
      for (let i = 0; i < records.length; i += size) {
        const batch = records.slice(i, i + size).map((r) => ({
          ...r,
          eventSource: 'aws:dynamodb',
          awsRegion: this.region,
          eventSourceARN: streamArn,
        }));
        // Lambda retries a failed batch until it succeeds or the record ages out; so do we,
        // with a short back-off, so a transient failure never skips records.
        for (let attempt = 1; ; attempt++) {
          try {
            await this.invoke(consumer.fn, { Records: batch });
            break;
          } catch (error) {
            if (this.stopped || attempt >= 10) {
              console.error(`[streams] ${consumer.name} failed ${attempt} times; giving up on batch`, error);
              break;
            }
            await new Promise((r) => setTimeout(r, 50 * attempt));
          }
        }
      }
    }
  }
}

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
