import { randomUUID } from 'node:crypto';
import { appendFile, mkdir, open, readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  type _Record,
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type Shard,
} from '@aws-sdk/client-dynamodb-streams';
import { unsignedLocalSigner, withoutSdkLogging } from '../functions/shared/clients.ts';
import type { StreamConsumerSpec } from '../lib/manifest/types.ts';
import { type CompiledPattern, compilePattern, matchesPattern, type PlainObject } from './event-pattern.ts';

/**
 * Polls the table's stream in DynamoDB Local and hands batches to the manifest's stream
 * consumers as Lambda's event source mapping does (`lib/constructs/stream-consumers.ts`):
 * - one loop per consumer, with its own position in every shard and its own pace: a slow
 *   consumer (the ledger) never holds back another (the orders outbox);
 * - positions are checkpoints: a consumer's position in a shard moves past a record only once
 *   its invocation succeeded (or the record was given up on), and is written to
 *   `<stateDir>/checkpoint-<consumer>.json`, so a restart — clean or `kill -9` — resumes right
 *   after it. Delivery is at least once: what was delivered after the last write is delivered
 *   again, and every consumer is idempotent;
 * - a consumer with no checkpoint starts at TRIM_HORIZON, as the mapping on AWS does;
 * - the consumers' `filters` (the mapping's FilterCriteria) are applied before invoking: a batch
 *   holds only matching records, and the position moves past the others as well;
 * - loops at the same place in a shard share what they read (`PageCache`): every consumer reads
 *   every record of the table, and DynamoDB Local charges each read by its records (measured:
 *   ~0.35 ms of its CPU per record), so a page one loop read is handed to the next loop that gets
 *   there instead of being read again;
 * - a batch is filled up to the consumer's batch size with what the shard has, read in small
 *   pages;
 * - a failing batch is split in two and each half retried (bisectBatchOnFunctionError); a single
 *   record is retried STREAM_RETRY_ATTEMPTS times with back-off, then recorded as a failure (the
 *   mapping's on-failure destination: `<stateDir>/failures-<consumer>.jsonl` and `failures`) and
 *   the consumer moves on;
 * - a stop ends reads at once and waits STOP_GRACE_MS for deliveries in flight; one still running
 *   then is left to the next start, which delivers its batch again.
 */
const RECORDS_PER_READ = 25;
/** How long a loop that found nothing waits before it reads again. */
const IDLE_POLL_MS = 50;
/**
 * A loop that is caught up (its pass did not fill a batch) starts its next pass no sooner than
 * this after the last one started: under a steady stream of writes it reads a few fuller pages
 * instead of one per record or two (a GetRecords costs DynamoDB Local about a millisecond of CPU
 * before its first record: measured: 5.8 reads per order end to end became 2.1). Lambda polls a shard about
 * four times a second; this keeps the local delay far below that.
 */
const CAUGHT_UP_PASS_MS = 40;
/** A loop looks for new shards every this many passes (and whenever it has none). */
const PASSES_PER_SHARD_REFRESH = 20;
/** Checkpoints are written at most this often per consumer (coalesced), and on stop. */
const CHECKPOINT_EVERY_MS = 100;
/**
 * On stop, how long a delivery in flight may still finish. After that it is left behind: its
 * checkpoint has not moved, so the next start delivers the batch again (a stuck or cold handler
 * on a busy machine must not keep Ctrl-C waiting; consumers are idempotent).
 */
const STOP_GRACE_MS = 2_000;

/** The mapping's `retryAttempts` on AWS (lib/constructs/stream-consumers.ts); a unit test keeps them equal. */
export const STREAM_RETRY_ATTEMPTS = 8;

export interface StreamRetryPolicy {
  /** Retries of a single failing record before it is given up on. */
  attempts: number;
  backoffMs(retry: number): number;
}

/** 0.1 s doubling to at most 5 s: about 16 s of retries before a record is given up on. */
const DEFAULT_RETRY: StreamRetryPolicy = {
  attempts: STREAM_RETRY_ATTEMPTS,
  backoffMs: (retry) => Math.min(5_000, 100 * 2 ** (retry - 1)),
};

/**
 * A record a consumer gave up on: what Lambda sends to the mapping's on-failure destination for a
 * DynamoDB stream (the batch's metadata, not the record), plus the consumer, the error and the
 * record's keys, for whoever looks at it locally.
 */
export interface StreamFailure {
  consumer: string;
  error: string;
  keys: unknown;
  eventName: string | undefined;
  version: '1.0';
  timestamp: string;
  requestContext: {
    requestId: string;
    functionArn: string;
    condition: 'RetryAttemptsExhausted';
    approximateInvokeCount: number;
  };
  responseContext: { statusCode: number; executedVersion: '$LATEST'; functionError: 'Unhandled' };
  DDBStreamBatchInfo: {
    shardId: string;
    startSequenceNumber: string | undefined;
    endSequenceNumber: string | undefined;
    approximateArrivalOfFirstRecord: string | undefined;
    approximateArrivalOfLastRecord: string | undefined;
    batchSize: number;
    streamArn: string;
  };
}

export interface StreamPollerOptions {
  /**
   * Where checkpoints and failures are kept (the runtime: `<dataDir>/streams`). Without it,
   * positions live in memory only and a new poller starts every consumer at TRIM_HORIZON.
   */
  stateDir?: string;
  retry?: StreamRetryPolicy;
  /** Called for every record a consumer gave up on. */
  onFailure?: (failure: StreamFailure) => void;
  /** How long a stop waits for deliveries in flight. @default STOP_GRACE_MS */
  stopGraceMs?: number;
}

type Invoke = (fn: string, event: unknown) => Promise<unknown>;

interface Shared {
  readonly stopped: boolean;
  /** Aborted on stop: reads in flight end at once. */
  readonly stopping: AbortSignal;
  /** Aborted STOP_GRACE_MS after stop: deliveries in flight are no longer waited for. */
  readonly abandoned: AbortSignal;
  pause(ms: number): Promise<void>;
  readonly region: string;
  readonly retry: StreamRetryPolicy;
  recordFailure(failure: StreamFailure): Promise<void>;
  readonly pages: PageCache;
}

/** One GetRecords answer as Lambda records, and the iterator after it (none: the shard ended). */
interface Page {
  records: _Record[];
  next: string | undefined;
}

/** How long a page read by one loop may be handed to another, and how many are kept. */
const PAGE_KEEP_MS = 5_000;
const PAGE_KEEP_MAX = 1_000;

/**
 * Pages read lately, by the place in a shard they start from (right after a sequence number): a
 * loop that gets there takes the page and the iterator after it instead of reading it again, and
 * a read in flight is shared the same way. Only pages with records are kept (an empty answer is
 * only true for the moment it was given), for PAGE_KEEP_MS: a loop further behind reads for
 * itself, as it does after a restart from its checkpoint (its place is known only once it has
 * read a record).
 */
class PageCache {
  private readonly pages = new Map<string, { page: Promise<Page>; at: number }>();

  async read(
    shardId: string,
    after: string | undefined,
    limit: number,
    fetch: () => Promise<Page>,
  ): Promise<Page> {
    if (after === undefined) return fetch();
    const key = `${shardId} ${after}`;
    const kept = this.pages.get(key);
    if (kept && Date.now() - kept.at < PAGE_KEEP_MS) {
      const page = await kept.page.catch(() => undefined);
      // A page longer than this loop may take now is read again with its own limit.
      if (page && page.records.length <= limit) return page;
    }
    const entry = { page: fetch(), at: Date.now() };
    this.pages.set(key, entry);
    this.forgetOld(entry.at);
    const forget = () => {
      if (this.pages.get(key) === entry) this.pages.delete(key);
    };
    entry.page.then((page) => {
      if (page.records.length === 0) forget();
    }, forget);
    return entry.page;
  }

  /** Entries are kept in the order they were read: the oldest go first. */
  private forgetOld(now: number): void {
    for (const [key, entry] of this.pages) {
      if (now - entry.at < PAGE_KEEP_MS && this.pages.size <= PAGE_KEEP_MAX) break;
      this.pages.delete(key);
    }
  }
}

export class StreamPoller {
  private readonly stopping = new AbortController();
  private readonly abandoning = new AbortController();
  private readonly loops: ConsumerLoop[] = [];
  private running: Promise<void>[] = [];
  /** Records given up on since start, oldest first (the file under `stateDir` keeps them all). */
  readonly failures: StreamFailure[] = [];

  constructor(
    private readonly ddb: DynamoDBClient,
    private readonly streams: DynamoDBStreamsClient,
    private readonly tableName: string,
    private readonly consumers: readonly StreamConsumerSpec[],
    private readonly invoke: Invoke,
    private readonly region: string,
    private readonly options: StreamPollerOptions = {},
  ) {}

  static create(
    ddb: DynamoDBClient,
    endpoint: string,
    ...rest: [string, readonly StreamConsumerSpec[], Invoke, string, StreamPollerOptions?]
  ) {
    const streams = withoutSdkLogging(
      new DynamoDBStreamsClient({
        endpoint,
        region: rest[3],
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        signer: unsignedLocalSigner,
      }),
    );
    return new StreamPoller(ddb, streams, ...rest);
  }

  async start(): Promise<void> {
    if (this.consumers.length === 0) return;
    const table = await this.ddb.send(new DescribeTableCommand({ TableName: this.tableName }));
    const streamArn = table.Table?.LatestStreamArn;
    if (!streamArn) throw new Error(`Table ${this.tableName} has no stream`);
    const { stateDir } = this.options;
    if (stateDir) await mkdir(stateDir, { recursive: true });
    const stopping = this.stopping.signal;
    const shared: Shared = {
      get stopped() {
        return stopping.aborted;
      },
      stopping,
      abandoned: this.abandoning.signal,
      pause: (ms) => pause(ms, stopping),
      region: this.region,
      retry: this.options.retry ?? DEFAULT_RETRY,
      recordFailure: (failure) => this.recordFailure(failure),
      pages: new PageCache(),
    };
    for (const consumer of this.consumers) {
      const file = stateDir ? path.join(stateDir, `checkpoint-${safeName(consumer.name)}.json`) : undefined;
      const checkpoint = await Checkpoint.load(file, streamArn, consumer.name);
      const loop = new ConsumerLoop(consumer, this.streams, streamArn, this.invoke, checkpoint, shared);
      // Every loop knows its shards before start() returns (a broken stream fails start-up).
      await loop.refreshShards();
      this.loops.push(loop);
    }
    this.running = this.loops.map((loop) => loop.run());
  }

  /**
   * True when every consumer has caught up: its last pass over the shards found nothing and it
   * is delivering nothing, retries included (tests and `settle()` wait for quiescence).
   */
  isIdle(): boolean {
    return this.loops.every((loop) => loop.idle);
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    const loopsEnded = Promise.all(this.running);
    const grace = pause(this.options.stopGraceMs ?? STOP_GRACE_MS, this.abandoning.signal);
    await Promise.race([loopsEnded, grace]);
    this.abandoning.abort();
    await loopsEnded;
    // What was delivered is written down before the client goes: a clean stop redelivers nothing.
    await Promise.all(this.loops.map((loop) => loop.checkpoint.flush()));
    this.streams.destroy();
  }

  private async recordFailure(failure: StreamFailure): Promise<void> {
    this.failures.push(failure);
    console.error(
      `[streams] ${failure.consumer}: gave up on record ${failure.DDBStreamBatchInfo.startSequenceNumber} ` +
        `after ${failure.requestContext.approximateInvokeCount} attempts: ${failure.error}`,
    );
    // Never throws: the loop has read past the record, and moving on must not depend on a listener.
    try {
      this.options.onFailure?.(failure);
      const { stateDir } = this.options;
      if (stateDir) {
        await appendFile(
          path.join(stateDir, `failures-${safeName(failure.consumer)}.jsonl`),
          `${JSON.stringify(failure)}\n`,
        );
      }
    } catch (error) {
      console.error(`[streams] ${failure.consumer}: could not record the failure`, error);
    }
  }
}

interface ShardPosition {
  /** The last sequence number handled (delivered, or given up on). */
  after?: string;
  /** The shard is closed and was read to its end. */
  closed?: true;
}

/**
 * One consumer's positions, per shard, of one stream. Held in memory, written to its file at
 * most every CHECKPOINT_EVERY_MS (tmp file + fsync + rename: a crash leaves the old file or the
 * new one, never half of one). A file of another stream (the table was recreated) is ignored.
 */
class Checkpoint {
  private dirty = false;
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();

  private constructor(
    private readonly file: string | undefined,
    private readonly streamArn: string,
    private readonly shards: Map<string, ShardPosition>,
  ) {}

  static async load(file: string | undefined, streamArn: string, consumer: string): Promise<Checkpoint> {
    const empty = () => new Checkpoint(file, streamArn, new Map());
    if (!file) return empty();
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return empty();
      throw error;
    }
    try {
      const saved = JSON.parse(text) as { streamArn?: string; shards?: Record<string, ShardPosition> };
      if (saved.streamArn !== streamArn || !saved.shards) return empty();
      return new Checkpoint(file, streamArn, new Map(Object.entries(saved.shards)));
    } catch {
      // Unreadable: starting over from the oldest record only redelivers (consumers are idempotent).
      console.warn(`[streams] ${consumer}: checkpoint ${file} is unreadable; starting at TRIM_HORIZON`);
      return empty();
    }
  }

  of(shardId: string): ShardPosition | undefined {
    return this.shards.get(shardId);
  }

  advance(shardId: string, sequenceNumber: string): void {
    this.shards.set(shardId, { after: sequenceNumber });
    this.changed();
  }

  close(shardId: string): void {
    this.shards.set(shardId, { ...this.shards.get(shardId), closed: true });
    this.changed();
  }

  /** Forgets shards the stream no longer has (trimmed after its retention). */
  keepOnly(shardIds: ReadonlySet<string>): void {
    for (const id of this.shards.keys()) {
      if (!shardIds.has(id)) {
        this.shards.delete(id);
        this.changed();
      }
    }
  }

  /** Writes what changed since the last write; resolves once it is on disk. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const file = this.file;
    if (!file) return Promise.resolve();
    // One write at a time; each writes the latest positions.
    this.writing = this.writing.then(async () => {
      if (!this.dirty) return;
      this.dirty = false;
      const body = JSON.stringify({ streamArn: this.streamArn, shards: Object.fromEntries(this.shards) });
      try {
        await writeAtomically(file, body);
      } catch (error) {
        this.dirty = true;
        console.error(`[streams] could not write checkpoint ${file}`, error);
      }
    });
    return this.writing;
  }

  private changed(): void {
    this.dirty = true;
    if (!this.file || this.timer) return;
    this.timer = setTimeout(() => void this.flush(), CHECKPOINT_EVERY_MS);
    this.timer.unref();
  }
}

async function writeAtomically(file: string, body: string): Promise<void> {
  const tmp = `${file}.tmp`;
  const handle = await open(tmp, 'w');
  try {
    await handle.writeFile(body);
    await handle.datasync();
  } finally {
    await handle.close();
  }
  await rename(tmp, file);
}

/** One consumer's event source mapping: its own position in every shard, its own pace. */
class ConsumerLoop {
  private readonly iterators = new Map<string, string>();
  /** Per shard, the sequence number its iterator is right after (unknown from TRIM_HORIZON). */
  private readonly readAfter = new Map<string, string>();
  /** The mapping's FilterCriteria: a record is delivered when it matches any (all without). */
  private readonly filters: { pattern: CompiledPattern; paths: string[][] }[] | undefined;
  private readonly finished = new Set<string>();
  /** Shards whose iterator was trimmed, and how often since they last delivered a record. */
  private readonly trims = new Map<string, number>();
  /** A shard lost its iterator or closed: look at the shards again on this pass. */
  private shardsChanged = false;
  /** Caught up: the last full pass found nothing, and no batch is being delivered or retried. */
  idle = false;

  constructor(
    private readonly consumer: StreamConsumerSpec,
    private readonly streams: DynamoDBStreamsClient,
    private readonly streamArn: string,
    private readonly invoke: Invoke,
    readonly checkpoint: Checkpoint,
    private readonly shared: Shared,
  ) {
    this.filters = consumer.filters?.map((filter) => {
      const pattern = compilePattern(filter);
      const paths = new Set(pattern.branches.flatMap((branch) => branch.fields.map((field) => field.path)));
      // Split once here: they are walked for every record.
      return { pattern, paths: [...paths].map((path) => path.split('.')) };
    });
  }

  /** Takes up every shard not read yet: after its checkpoint, else from its oldest record. */
  async refreshShards(): Promise<void> {
    const shards = await this.describeShards();
    const live = new Set(shards.map((s) => s.ShardId as string));
    for (const shard of shards) {
      const id = shard.ShardId as string;
      if (this.iterators.has(id) || this.finished.has(id)) continue;
      if (this.checkpoint.of(id)?.closed) {
        this.finished.add(id);
        continue;
      }
      // A child shard is read once its parent is read to its end, as Lambda does: the changes
      // to one item stay in order.
      const parent = shard.ParentShardId;
      if (parent && live.has(parent) && !this.finished.has(parent)) continue;
      // Trimmed twice without progress: the checkpoint's place is gone, start from the oldest record.
      const start = await this.iteratorFor(id, (this.trims.get(id) ?? 0) >= 2);
      if (start.after) this.readAfter.set(id, start.after);
      else this.readAfter.delete(id);
      if (start.iterator) this.iterators.set(id, start.iterator);
      else this.closeShard(id);
    }
    if (live.size > 0) this.checkpoint.keepOnly(live);
  }

  async run(): Promise<void> {
    let sinceRefresh = 0;
    while (!this.shared.stopped) {
      let delivered = 0;
      let behind = false;
      const passStarted = Date.now();
      try {
        for (const shardId of [...this.iterators.keys()]) {
          if (this.shared.stopped) return;
          const { records, ended } = await this.readBatch(shardId);
          if (records.length >= (this.consumer.batchSize ?? 100)) behind = true;
          if (records.length) {
            delivered += records.length;
            this.idle = false;
            if (!(await this.deliver(shardId, records))) return;
            this.trims.delete(shardId);
          }
          // Only once its last records are handled: a checkpoint never says more than was delivered.
          if (ended) this.closeShard(shardId);
        }
        if (++sinceRefresh >= PASSES_PER_SHARD_REFRESH || this.iterators.size === 0 || this.shardsChanged) {
          sinceRefresh = 0;
          this.shardsChanged = false;
          await this.refreshShards();
        }
      } catch (error) {
        if (this.shared.stopped) return;
        console.error(`[streams] ${this.consumer.name}: polling failed; retrying`, error);
        // Iterators may be past records not yet handled: take every shard up again from its checkpoint.
        this.iterators.clear();
        this.readAfter.clear();
        this.shardsChanged = true;
        await this.shared.pause(500);
      }
      this.idle = delivered === 0;
      if (delivered === 0) await this.shared.pause(IDLE_POLL_MS);
      else if (!behind) {
        const wait = CAUGHT_UP_PASS_MS - (Date.now() - passStarted);
        if (wait > 0) await this.shared.pause(wait);
      }
    }
  }

  /**
   * Reads pages of a shard until the consumer's batch is full or the shard has nothing more for
   * now, as Lambda fills a batch (one invocation of 100 records, not four of 25: on two cores
   * every invocation waits its turn behind the API). Pages stay small, so API requests are
   * served between them. Moves the shard's iterator past what it returns.
   */
  private async readBatch(shardId: string): Promise<{ records: _Record[]; ended: boolean }> {
    const size = this.consumer.batchSize ?? 100;
    const records: _Record[] = [];
    for (;;) {
      const iterator = this.iterators.get(shardId);
      if (!iterator) return { records, ended: false };
      const limit = Math.min(RECORDS_PER_READ, size - records.length);
      let page: Page;
      try {
        page = await this.shared.pages.read(shardId, this.readAfter.get(shardId), limit, () =>
          this.getRecords(iterator, limit),
        );
      } catch (error) {
        const name = (error as Error).name;
        if (name === 'TrimmedDataAccessException' || name === 'ExpiredIteratorException') {
          // DynamoDB Local answers TrimmedDataAccess when the first record lands on a stream
          // that sat idle and empty, and iterators expire after 15 minutes: take the shard up
          // again from its checkpoint, or from its oldest record if that was trimmed too.
          this.iterators.delete(shardId);
          this.readAfter.delete(shardId);
          this.shardsChanged = true;
          if (name === 'TrimmedDataAccessException')
            this.trims.set(shardId, (this.trims.get(shardId) ?? 0) + 1);
          return { records, ended: false };
        }
        // What was read is delivered first; the next pass reads on from the same iterator.
        if (records.length) return { records, ended: false };
        throw error;
      }
      records.push(...page.records);
      const last = page.records.at(-1)?.dynamodb?.SequenceNumber;
      if (last) this.readAfter.set(shardId, last);
      if (!page.next) {
        this.iterators.delete(shardId);
        return { records, ended: true };
      }
      this.iterators.set(shardId, page.next);
      if (page.records.length < limit || records.length >= size) return { records, ended: false };
    }
  }

  /** A shard read to its end: its children (if any) can be taken up now. */
  private closeShard(shardId: string): void {
    this.finished.add(shardId);
    this.checkpoint.close(shardId);
    this.shardsChanged = true;
  }

  private async describeShards(): Promise<Shard[]> {
    const shards: Shard[] = [];
    let from: string | undefined;
    do {
      const desc = await this.streams.send(
        new DescribeStreamCommand({
          StreamArn: this.streamArn,
          ...(from ? { ExclusiveStartShardId: from } : {}),
        }),
        { abortSignal: this.shared.stopping },
      );
      shards.push(...(desc.StreamDescription?.Shards ?? []));
      from = desc.StreamDescription?.LastEvaluatedShardId;
    } while (from);
    return shards;
  }

  /**
   * Right after the checkpoint when there is one, from the shard's oldest record otherwise (or
   * when the checkpoint's record was trimmed away: redelivery is safe, a gap is not).
   */
  private async iteratorFor(
    shardId: string,
    fromOldest: boolean,
  ): Promise<{ iterator: string | undefined; after?: string }> {
    const after = this.checkpoint.of(shardId)?.after;
    if (after && !fromOldest) {
      try {
        const it = await this.streams.send(
          new GetShardIteratorCommand({
            StreamArn: this.streamArn,
            ShardId: shardId,
            ShardIteratorType: 'AFTER_SEQUENCE_NUMBER',
            SequenceNumber: after,
          }),
          { abortSignal: this.shared.stopping },
        );
        return { iterator: it.ShardIterator, after };
      } catch (error) {
        if ((error as Error).name !== 'TrimmedDataAccessException') throw error;
      }
    }
    const it = await this.streams.send(
      new GetShardIteratorCommand({
        StreamArn: this.streamArn,
        ShardId: shardId,
        ShardIteratorType: 'TRIM_HORIZON',
      }),
      { abortSignal: this.shared.stopping },
    );
    return { iterator: it.ShardIterator };
  }

  /** One page, as the records Lambda would hand the function (built once, shared by every loop). */
  private async getRecords(iterator: string, limit: number): Promise<Page> {
    // Small pages: a page is decoded in one synchronous stretch (position images carry their
    // holds and command keys), and every API request in flight waits behind it.
    const out = await this.streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: limit }), {
      abortSignal: this.shared.stopping,
    });
    const records = (out.Records ?? []).map((r) => ({
      ...asLambdaRecord(r),
      eventSource: 'aws:dynamodb',
      awsRegion: this.shared.region,
      eventSourceARN: this.streamArn,
    }));
    return { records, next: out.NextShardIterator };
  }

  /**
   * Hands a page to the consumer in batches of its size and moves its checkpoint past each batch
   * once the batch is handled; records its filters leave out are passed over, as on AWS. False
   * when the poller stopped before a batch was: its position stays where it was, and the next
   * start delivers the batch again.
   */
  private async deliver(shardId: string, records: _Record[]): Promise<boolean> {
    const size = this.consumer.batchSize ?? 100;
    for (let i = 0; i < records.length; i += size) {
      const chunk = records.slice(i, i + size);
      const batch = this.filters ? chunk.filter((r) => this.wanted(r)) : chunk;
      if (batch.length > 0 && !(await this.deliverBatch(shardId, batch))) return false;
      const last = chunk.at(-1)?.dynamodb?.SequenceNumber;
      if (last) this.checkpoint.advance(shardId, last);
    }
    return true;
  }

  /** Whether a record matches one of the consumer's filters (matched on the fields they name). */
  private wanted(record: _Record): boolean {
    // Only the named fields: a record's images can be large, and flattening them all is not free.
    const fields = record as unknown as PlainObject;
    return (this.filters ?? []).some((f) => matchesPattern(f.pattern, picked(fields, f.paths)));
  }

  /**
   * As the mapping with bisectBatchOnFunctionError, retryAttempts and reportBatchItemFailures:
   * records before the first one the function reports as failed are done; the rest, if more than
   * one, is split in two and each half delivered on its own (a split spends no retry, as on AWS);
   * a single record is retried with back-off, then given up on. True once every record was
   * delivered or given up on.
   */
  private async deliverBatch(shardId: string, batch: _Record[]): Promise<boolean> {
    let pending = batch;
    for (let retries = 0; ; ) {
      let failedFrom: number;
      let error = 'reported as a batch item failure';
      try {
        const result = await untilAbandoned(this.invoke(this.consumer.fn, { Records: pending }), this.shared);
        if (result === ABANDONED) return false;
        failedFrom = firstReportedFailure(result, pending);
      } catch (e) {
        failedFrom = 0;
        error = describe(e);
      }
      if (failedFrom >= pending.length) return true;
      if (this.shared.stopped) return false;
      const rest = pending.slice(failedFrom);
      if (rest.length > 1) {
        const half = Math.ceil(rest.length / 2);
        return (
          (await this.deliverBatch(shardId, rest.slice(0, half))) &&
          (await this.deliverBatch(shardId, rest.slice(half)))
        );
      }
      if (retries >= this.shared.retry.attempts) {
        await this.shared.recordFailure(this.failureOf(shardId, rest, error, retries + 1));
        return true;
      }
      retries++;
      await this.shared.pause(this.shared.retry.backoffMs(retries));
      if (this.shared.stopped) return false;
      pending = rest;
    }
  }

  private failureOf(shardId: string, records: _Record[], error: string, invokes: number): StreamFailure {
    const first = records[0]?.dynamodb;
    const last = records.at(-1)?.dynamodb;
    const arrival = (d: typeof first) =>
      d?.ApproximateCreationDateTime ? new Date(d.ApproximateCreationDateTime).toISOString() : undefined;
    return {
      consumer: this.consumer.name,
      error,
      keys: first?.Keys,
      eventName: records[0]?.eventName,
      version: '1.0',
      timestamp: new Date().toISOString(),
      requestContext: {
        requestId: randomUUID(),
        functionArn: `arn:aws:lambda:${this.shared.region}:000000000000:function:qm-local-${this.consumer.fn}`,
        condition: 'RetryAttemptsExhausted',
        approximateInvokeCount: invokes,
      },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      DDBStreamBatchInfo: {
        shardId,
        startSequenceNumber: first?.SequenceNumber,
        endSequenceNumber: last?.SequenceNumber,
        approximateArrivalOfFirstRecord: arrival(first),
        approximateArrivalOfLastRecord: arrival(last),
        batchSize: records.length,
        streamArn: this.streamArn,
      },
    };
  }
}

/**
 * Where a partial batch response (`{ batchItemFailures: [{ itemIdentifier: <sequence number> }] }`)
 * says the batch failed: the index of the lowest sequence number named, `records.length` when
 * none is. As Lambda does, an answer naming no record of the batch, or malformed, fails it all.
 */
function firstReportedFailure(result: unknown, records: readonly _Record[]): number {
  const failures = (result as { batchItemFailures?: unknown } | null | undefined)?.batchItemFailures;
  if (failures === undefined || failures === null) return records.length;
  if (!Array.isArray(failures)) return 0;
  if (failures.length === 0) return records.length;
  let first = records.length;
  for (const failure of failures) {
    const id = (failure as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    const index = records.findIndex((r) => r.dynamodb?.SequenceNumber === id);
    if (typeof id !== 'string' || index < 0) return 0;
    first = Math.min(first, index);
  }
  return first;
}

const ABANDONED = Symbol('abandoned');

/** The invocation's result, or ABANDONED once the stop's grace is over (the invocation runs on unobserved). */
function untilAbandoned<T>(invocation: Promise<T>, shared: Shared): Promise<T | typeof ABANDONED> {
  const { abandoned } = shared;
  if (abandoned.aborted) return Promise.resolve(ABANDONED);
  return new Promise((resolve, reject) => {
    const giveUp = () => resolve(ABANDONED);
    abandoned.addEventListener('abort', giveUp, { once: true });
    invocation.then(
      (value) => {
        abandoned.removeEventListener('abort', giveUp);
        resolve(value);
      },
      (error: unknown) => {
        abandoned.removeEventListener('abort', giveUp);
        reject(error);
      },
    );
  });
}

/** Waits `ms`, or less if the poller stops meanwhile (a back-off never delays a stop). */
function pause(ms: number, stopping: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (stopping.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      stopping.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    stopping.addEventListener('abort', done);
  });
}

const describe = (error: unknown): string =>
  error instanceof Error ? `${error.name}: ${error.message}` : String(error);

/** The values at `paths` (each a list of keys) of `record`, in an object of the same shape. */
function picked(record: PlainObject, paths: readonly (readonly string[])[]): PlainObject {
  const out: PlainObject = {};
  for (const segments of paths) {
    let from: unknown = record;
    let to = out;
    for (const [i, segment] of segments.entries()) {
      if (!from || typeof from !== 'object' || Array.isArray(from)) break;
      const value = (from as PlainObject)[segment];
      if (value === undefined) break;
      if (i === segments.length - 1 || !value || typeof value !== 'object' || Array.isArray(value)) {
        to[segment] = value;
        break;
      }
      const inner = (to[segment] as PlainObject | undefined) ?? {};
      to[segment] = inner;
      to = inner;
      from = value;
    }
  }
  return out;
}

/** A consumer's name as a file name. */
const safeName = (name: string) => name.replace(/[^A-Za-z0-9._-]/g, '_');

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
