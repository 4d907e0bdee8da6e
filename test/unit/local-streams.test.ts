import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  type _Record,
  DescribeStreamCommand,
  type DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { STREAM_RETRY_ATTEMPTS as AWS_RETRY_ATTEMPTS } from '../../lib/constructs/stream-consumers.ts';
import type { StreamConsumerSpec } from '../../lib/manifest/types.ts';
import { STREAM_RETRY_ATTEMPTS, StreamPoller, type StreamPollerOptions } from '../../local/streams.ts';

const STREAM_ARN = 'arn:aws:dynamodb:ddblocal:000000000000:table/t/stream/2026-12-04T00:00:00.000';
const REGION = 'us-east-1';

/**
 * DynamoDB Local's stream, as far as the poller uses it: shards of records in write order (a
 * split closes the open shard and opens its child), iterators that are positions in a shard,
 * and on demand a TrimmedDataAccessException.
 */
class FakeStream {
  readonly shards: { id: string; parent?: string; records: _Record[]; closed: boolean }[] = [
    { id: 'shard-1', records: [], closed: false },
  ];
  /** The next GetRecords call fails as DynamoDB Local does on a stream that sat idle and empty. */
  trimNext = false;
  /** The next GetRecords call fails as a busy or restarting DynamoDB Local would. */
  failNext = false;
  destroyed = false;
  /** GetRecords calls that returned records (what DynamoDB Local charges by). */
  pagesWithRecords = 0;
  private sequence = 0;
  private issued = 0;

  get records(): _Record[] {
    return this.shards.flatMap((s) => s.records);
  }

  write(...ids: string[]): void {
    const open = this.shards.at(-1) as (typeof this.shards)[number];
    for (const id of ids) {
      open.records.push({
        eventID: id,
        eventName: 'INSERT',
        dynamodb: {
          Keys: { pk: { S: id } },
          // The streams SDK client reads an empty map as `{}`; Lambda would deliver `{ M: {} }`.
          NewImage: { pk: { S: id }, holds: {} as never },
          SequenceNumber: String(++this.sequence).padStart(21, '0'),
        },
      });
    }
  }

  /** Closes the open shard and opens its child, as DynamoDB does every few hours. */
  split(): void {
    const parent = this.shards.at(-1) as (typeof this.shards)[number];
    parent.closed = true;
    this.shards.push({
      id: `shard-${this.shards.length + 1}`,
      parent: parent.id,
      records: [],
      closed: false,
    });
  }

  readonly ddb = {
    send: async (command: unknown) => {
      if (command instanceof DescribeTableCommand) return { Table: { LatestStreamArn: STREAM_ARN } };
      throw new Error(`unexpected ${String(command)}`);
    },
  } as unknown as DynamoDBClient;

  readonly client = {
    send: async (command: unknown) => {
      await Promise.resolve();
      if (command instanceof DescribeStreamCommand) {
        // The child is listed first: the poller must still read the parent before it.
        const listed = [...this.shards].reverse();
        return {
          StreamDescription: {
            Shards: listed.map((s) => ({ ShardId: s.id, ...(s.parent ? { ParentShardId: s.parent } : {}) })),
          },
        };
      }
      if (command instanceof GetShardIteratorCommand) {
        const shard = this.shard(command.input.ShardId);
        const type = command.input.ShardIteratorType;
        const from =
          type === 'LATEST'
            ? shard.records.length
            : type === 'AFTER_SEQUENCE_NUMBER'
              ? shard.records.findIndex((r) => r.dynamodb?.SequenceNumber === command.input.SequenceNumber) +
                1
              : 0;
        return { ShardIterator: this.iterator(shard.id, from) };
      }
      if (command instanceof GetRecordsCommand) {
        if (this.trimNext) {
          this.trimNext = false;
          throw Object.assign(new Error('trimmed'), { name: 'TrimmedDataAccessException' });
        }
        if (this.failNext) {
          this.failNext = false;
          throw Object.assign(new Error('connection reset'), { name: 'InternalServerError' });
        }
        const [id, at] = (command.input.ShardIterator ?? '').split('|');
        const shard = this.shard(id);
        const from = Number(at);
        const page = shard.records.slice(from, from + (command.input.Limit ?? 1000));
        if (page.length > 0) this.pagesWithRecords++;
        const end = from + page.length;
        const closedAndRead = shard.closed && end >= shard.records.length;
        return {
          Records: page,
          ...(closedAndRead ? {} : { NextShardIterator: this.iterator(shard.id, end) }),
        };
      }
      throw new Error(`unexpected ${String(command)}`);
    },
    destroy: () => {
      this.destroyed = true;
    },
  } as unknown as DynamoDBStreamsClient;

  private shard(id: string | undefined) {
    const shard = this.shards.find((s) => s.id === id);
    if (!shard) throw Object.assign(new Error(`no shard ${id}`), { name: 'ResourceNotFoundException' });
    return shard;
  }

  private iterator(shardId: string, position: number): string {
    return `${shardId}|${position}|${this.issued++}`;
  }
}

const consumer = (name: string, batchSize?: number): StreamConsumerSpec => ({
  name,
  description: 'test',
  fn: name,
  ...(batchSize ? { batchSize } : {}),
});
type Batch = { Records: (_Record & { eventSourceARN: string; eventSource: string; awsRegion: string })[] };
const idsOf = (batches: Batch[]) => batches.flatMap((b) => b.Records.map((r) => r.eventID as string));
const until = (check: () => void) => vi.waitFor(check, { timeout: 5000, interval: 5 });

let poller: StreamPoller | undefined;
let stateDir: string | undefined;
afterEach(async () => {
  await poller?.stop();
  poller = undefined;
  if (stateDir) await rm(stateDir, { recursive: true, force: true });
  stateDir = undefined;
});

/** A fresh directory for checkpoints and failures, removed after the test. */
async function newStateDir(): Promise<string> {
  stateDir = await mkdtemp(path.join(tmpdir(), 'qm-streams-'));
  return stateDir;
}

/** Retries without waiting: the budget is what the tests check, not the clock. */
const FAST_RETRY = { attempts: STREAM_RETRY_ATTEMPTS, backoffMs: () => 1 };

function startPoller(
  stream: FakeStream,
  consumers: StreamConsumerSpec[],
  invoke: (fn: string, event: Batch) => Promise<unknown>,
  options: StreamPollerOptions = {},
) {
  poller = new StreamPoller(
    stream.ddb,
    stream.client,
    't',
    consumers,
    (fn, event) => invoke(fn, event as Batch),
    REGION,
    { retry: FAST_RETRY, ...options },
  );
  return poller;
}

describe('local stream poller', () => {
  it('runs one loop per consumer: a consumer blocked on a batch does not delay another', async () => {
    const stream = new FakeStream();
    const received: Record<string, Batch[]> = { slow: [], outbox: [] };
    let unblock: () => void = () => undefined;
    const blocked = new Promise<void>((resolve) => {
      unblock = resolve;
    });
    const p = startPoller(stream, [consumer('slow'), consumer('outbox', 2)], async (fn, event) => {
      received[fn]?.push(event);
      if (fn === 'slow') await blocked;
    });
    await p.start();
    // An empty stream: both loops catch up on their first pass.
    await until(() => expect(p.isIdle()).toBe(true));

    stream.write('r1', 'r2', 'r3');
    await until(() => expect(idsOf(received.outbox ?? [])).toEqual(['r1', 'r2', 'r3']));
    // The outbox got its records in batches of its own size while the slow consumer still holds
    // its first batch.
    expect((received.outbox ?? []).map((b) => b.Records.length)).toEqual([2, 1]);
    expect(idsOf(received.slow ?? [])).toEqual(['r1', 'r2', 'r3']);
    stream.write('r4', 'r5');
    await until(() => expect(idsOf(received.outbox ?? [])).toEqual(['r1', 'r2', 'r3', 'r4', 'r5']));
    expect(idsOf(received.slow ?? [])).toEqual(['r1', 'r2', 'r3']);
    // Not idle while any consumer has not caught up.
    expect(p.isIdle()).toBe(false);

    unblock();
    await until(() => expect(idsOf(received.slow ?? [])).toEqual(['r1', 'r2', 'r3', 'r4', 'r5']));
    await until(() => expect(p.isIdle()).toBe(true));
    expect(idsOf(received.outbox ?? [])).toEqual(['r1', 'r2', 'r3', 'r4', 'r5']);
  });

  it('with no checkpoint, starts at the oldest record (TRIM_HORIZON, as on AWS) and delivers Lambda-shaped records', async () => {
    const stream = new FakeStream();
    stream.write('before-start');
    const received: Batch[] = [];
    const p = startPoller(stream, [consumer('projection')], async (_fn, event) => {
      received.push(event);
    });
    await p.start();
    stream.write('after-start');
    await until(() => expect(idsOf(received)).toEqual(['before-start', 'after-start']));
    const [record] = received[0]?.Records ?? [];
    expect(record).toMatchObject({
      eventSource: 'aws:dynamodb',
      eventSourceARN: STREAM_ARN,
      awsRegion: REGION,
      dynamodb: { NewImage: { pk: { S: 'before-start' }, holds: { M: {} } } },
    });
  });

  it('starts a trimmed shard over from its oldest record instead of failing', async () => {
    const stream = new FakeStream();
    const received: Batch[] = [];
    const p = startPoller(stream, [consumer('projection')], async (_fn, event) => {
      received.push(event);
    });
    await p.start();
    stream.trimNext = true;
    stream.write('r1');
    await until(() => expect(idsOf(received)).toContain('r1'));
    stream.write('r2');
    await until(() => expect(idsOf(received).at(-1)).toBe('r2'));
  });

  it('reads on from its checkpoint after a failed read: nothing skipped, nothing twice', async () => {
    const stream = new FakeStream();
    const received: string[] = [];
    const p = startPoller(stream, [consumer('ledger')], async (_fn, event) => {
      received.push(...idsOf([event]));
    });
    await p.start();
    stream.write('r1', 'r2');
    await until(() => expect(received).toEqual(['r1', 'r2']));
    stream.failNext = true;
    stream.write('r3', 'r4');
    await until(() => expect(received).toEqual(['r1', 'r2', 'r3', 'r4']));
    await until(() => expect(p.isIdle()).toBe(true));
    expect(received).toEqual(['r1', 'r2', 'r3', 'r4']);
  });

  it('retries a failed batch for that consumer only, then moves on', async () => {
    const stream = new FakeStream();
    const calls: Record<string, string[][]> = { flaky: [], steady: [] };
    const p = startPoller(stream, [consumer('flaky'), consumer('steady')], async (fn, event) => {
      calls[fn]?.push(event.Records.map((r) => r.eventID as string));
      if (fn === 'flaky' && calls.flaky?.length === 1) throw new Error('downstream unavailable');
    });
    await p.start();
    stream.write('r1');
    await until(() => expect(calls.flaky).toEqual([['r1'], ['r1']]));
    expect(calls.steady).toEqual([['r1']]);
    stream.write('r2');
    await until(() => expect(calls.flaky?.at(-1)).toEqual(['r2']));
    // Each consumer polls on its own loop: steady may not have read r2 yet when flaky has.
    await until(() => expect(calls.steady).toEqual([['r1'], ['r2']]));
    await until(() => expect(p.isIdle()).toBe(true));
    expect(calls.flaky).toEqual([['r1'], ['r1'], ['r2']]);
  });

  it('stops every loop and closes the client', async () => {
    const stream = new FakeStream();
    const p = startPoller(stream, [consumer('a'), consumer('b')], async () => undefined);
    await p.start();
    await p.stop();
    poller = undefined;
    expect(stream.destroyed).toBe(true);
  });

  it('does not wait on stop for a handler that never returns: the batch is delivered again on the next start', async () => {
    const dir = await newStateDir();
    const stream = new FakeStream();
    const received: string[] = [];
    // A cold or stuck handler on a busy machine: Ctrl-C must still stop the runtime.
    const first = startPoller(
      stream,
      [consumer('ledger')],
      async (_fn, event) => {
        received.push(...idsOf([event]));
        await new Promise(() => undefined);
      },
      // The grace itself is not under test here: a short one keeps the test quick.
      { stateDir: dir, stopGraceMs: 20 },
    );
    await first.start();
    stream.write('r1');
    await until(() => expect(received).toEqual(['r1']));
    await first.stop();
    poller = undefined;
    expect(stream.destroyed).toBe(true);

    const second = startPoller(
      stream,
      [consumer('ledger')],
      async (_fn, event) => {
        received.push(...idsOf([event]));
      },
      { stateDir: dir },
    );
    await second.start();
    await until(() => expect(received).toEqual(['r1', 'r1']));
  });

  it('resumes after its checkpoint on restart: records written while stopped are delivered, nothing twice', async () => {
    const dir = await newStateDir();
    const stream = new FakeStream();
    const received: string[] = [];
    const collect = async (_fn: string, event: Batch) => {
      received.push(...idsOf([event]));
    };
    const first = startPoller(stream, [consumer('ledger')], collect, { stateDir: dir });
    await first.start();
    stream.write('r1', 'r2', 'r3');
    await until(() => expect(received).toEqual(['r1', 'r2', 'r3']));
    await first.stop();
    poller = undefined;
    const saved = JSON.parse(await readFile(path.join(dir, 'checkpoint-ledger.json'), 'utf8'));
    expect(saved).toEqual({
      streamArn: STREAM_ARN,
      shards: { 'shard-1': { after: stream.records[2]?.dynamodb?.SequenceNumber } },
    });

    // The runtime is down while the API (or anything else) keeps writing.
    stream.write('r4', 'r5');
    const second = startPoller(stream, [consumer('ledger')], collect, { stateDir: dir });
    await second.start();
    stream.write('r6');
    await until(() => expect(received).toEqual(['r1', 'r2', 'r3', 'r4', 'r5', 'r6']));
    await until(() => expect(second.isIdle()).toBe(true));
    expect(received).toHaveLength(6);
  });

  it('keeps a checkpoint per consumer: each resumes from its own position', async () => {
    const dir = await newStateDir();
    const stream = new FakeStream();
    const received: Record<string, string[]> = { fast: [], stuck: [] };
    let stuckFails = true;
    const invoke = async (fn: string, event: Batch) => {
      if (fn === 'stuck' && stuckFails) throw new Error('not yet');
      received[fn]?.push(...idsOf([event]));
    };
    const slowRetry = { retry: { attempts: STREAM_RETRY_ATTEMPTS, backoffMs: () => 10_000 }, stateDir: dir };
    const first = startPoller(stream, [consumer('fast'), consumer('stuck')], invoke, slowRetry);
    await first.start();
    stream.write('r1', 'r2');
    await until(() => expect(received.fast).toEqual(['r1', 'r2']));
    // Stopped while `stuck` still waits to retry r1: its position stays before r1.
    await first.stop();
    poller = undefined;
    stuckFails = false;
    const second = startPoller(stream, [consumer('fast'), consumer('stuck')], invoke, { stateDir: dir });
    await second.start();
    await until(() => expect(received.stuck).toEqual(['r1', 'r2']));
    await until(() => expect(second.isIdle()).toBe(true));
    expect(received.fast).toEqual(['r1', 'r2']);
  });

  it('starts over from the oldest record when the checkpoint is unreadable or belongs to another stream', async () => {
    const dir = await newStateDir();
    const stream = new FakeStream();
    stream.write('r1', 'r2');
    const file = path.join(dir, 'checkpoint-ledger.json');
    const received: string[] = [];
    const collect = async (_fn: string, event: Batch) => {
      received.push(...idsOf([event]));
    };
    // A table recreated in memory has a stream of its own: a position in the old one means nothing.
    await writeFile(
      file,
      JSON.stringify({ streamArn: `${STREAM_ARN}-old`, shards: { 'shard-1': { after: '2' } } }),
    );
    await startPoller(stream, [consumer('ledger')], collect, { stateDir: dir }).start();
    await until(() => expect(received).toEqual(['r1', 'r2']));
    await poller?.stop();

    received.length = 0;
    await writeFile(file, '{"streamArn": "arn:aws:dyn');
    await startPoller(stream, [consumer('ledger')], collect, { stateDir: dir }).start();
    await until(() => expect(received).toEqual(['r1', 'r2']));
  });

  it('reads a closed parent shard to its end before its child, and remembers it is done', async () => {
    const dir = await newStateDir();
    const stream = new FakeStream();
    stream.write('p1', 'p2');
    stream.split();
    stream.write('c1');
    const received: string[] = [];
    const collect = async (_fn: string, event: Batch) => {
      received.push(...idsOf([event]));
    };
    const first = startPoller(stream, [consumer('ledger')], collect, { stateDir: dir });
    await first.start();
    await until(() => expect(received).toEqual(['p1', 'p2', 'c1']));
    stream.write('c2');
    await until(() => expect(received).toEqual(['p1', 'p2', 'c1', 'c2']));
    await first.stop();
    poller = undefined;
    const saved = JSON.parse(await readFile(path.join(dir, 'checkpoint-ledger.json'), 'utf8'));
    expect(saved.shards['shard-1']).toMatchObject({ closed: true });

    stream.write('c3');
    const second = startPoller(stream, [consumer('ledger')], collect, { stateDir: dir });
    await second.start();
    await until(() => expect(received).toEqual(['p1', 'p2', 'c1', 'c2', 'c3']));
  });

  it('isolates a poison record: bisects the batch, retries the record, records it as a failure, moves on', async () => {
    const dir = await newStateDir();
    const stream = new FakeStream();
    const delivered: Record<string, string[]> = { ledger: [], outbox: [] };
    const invocations: string[][] = [];
    const failuresSeen: unknown[] = [];
    const invoke = async (fn: string, event: Batch) => {
      const ids = idsOf([event]);
      if (fn === 'ledger') invocations.push(ids);
      if (fn === 'ledger' && ids.includes('bad')) throw new Error('cannot map this image');
      delivered[fn]?.push(...ids);
    };
    const p = startPoller(stream, [consumer('ledger'), consumer('outbox')], invoke, {
      stateDir: dir,
      onFailure: (f) => failuresSeen.push(f),
    });
    await p.start();
    const before = ['r1', 'r2', 'r3', 'r4', 'r5'];
    const after = ['r6', 'r7', 'r8', 'r9', 'r10'];
    stream.write(...before, 'bad', ...after);
    await until(() => expect(p.failures).toHaveLength(1));
    stream.write('later');
    await until(() => expect(delivered.ledger).toEqual([...before, ...after, 'later']));
    await until(() => expect(p.isIdle()).toBe(true));

    // The other consumer never noticed.
    await until(() => expect(delivered.outbox).toEqual([...before, 'bad', ...after, 'later']));
    // The bad record alone: delivered once, then retried the mapping's number of times.
    expect(invocations.filter((ids) => ids.length === 1 && ids[0] === 'bad')).toHaveLength(
      STREAM_RETRY_ATTEMPTS + 1,
    );
    const badSequence = stream.records.find((r) => r.eventID === 'bad')?.dynamodb?.SequenceNumber;
    const [failure] = p.failures;
    expect(failure).toMatchObject({
      consumer: 'ledger',
      error: 'Error: cannot map this image',
      keys: { pk: { S: 'bad' } },
      requestContext: {
        condition: 'RetryAttemptsExhausted',
        approximateInvokeCount: STREAM_RETRY_ATTEMPTS + 1,
      },
      DDBStreamBatchInfo: {
        shardId: 'shard-1',
        startSequenceNumber: badSequence,
        endSequenceNumber: badSequence,
        batchSize: 1,
        streamArn: STREAM_ARN,
      },
    });
    expect(failuresSeen).toEqual([failure]);
    // An operator finds it under the data directory, one JSON line per record given up on.
    const lines = (await readFile(path.join(dir, 'failures-ledger.jsonl'), 'utf8')).trim().split('\n');
    expect(lines.map((l) => JSON.parse(l))).toEqual([failure]);
  });

  it('redelivers from the first record a partial batch response names, and only those', async () => {
    const stream = new FakeStream();
    const calls: string[][] = [];
    const p = startPoller(stream, [consumer('journal')], async (_fn, event) => {
      const ids = idsOf([event]);
      calls.push(ids);
      if (calls.length > 1) return { batchItemFailures: [] };
      const r3 = event.Records.find((r) => r.eventID === 'r3');
      return { batchItemFailures: [{ itemIdentifier: r3?.dynamodb?.SequenceNumber }] };
    });
    await p.start();
    stream.write('r1', 'r2', 'r3', 'r4');
    await until(() => expect(calls).toHaveLength(3));
    await until(() => expect(p.isIdle()).toBe(true));
    // r1 and r2 were done; r3 and r4 split in two, as bisectBatchOnFunctionError does.
    expect(calls).toEqual([['r1', 'r2', 'r3', 'r4'], ['r3'], ['r4']]);
    expect(p.failures).toEqual([]);
  });

  it("applies a consumer's filters: only matching records are delivered, and its position moves past the rest", async () => {
    const stream = new FakeStream();
    const dir = await newStateDir();
    const received: Batch[] = [];
    const orders: StreamConsumerSpec = {
      ...consumer('outbox'),
      filters: [{ dynamodb: { Keys: { pk: { S: [{ prefix: 'ORDER#' }] } } } }],
    };
    const p = startPoller(
      stream,
      [orders],
      async (_fn, event) => {
        received.push(event);
      },
      { stateDir: dir },
    );
    await p.start();
    stream.write('ORDER#1', 'STOCK#1', 'ORDER#2', 'STOCK#2');
    await until(() => expect(idsOf(received)).toEqual(['ORDER#1', 'ORDER#2']));
    // A page of nothing but other records starts no invocation.
    const invocations = received.length;
    stream.write('STOCK#3');
    await until(() => expect(p.isIdle()).toBe(true));
    await p.stop();
    expect(received.length).toBe(invocations);

    // The checkpoint is past STOCK#3: the same consumer without its filter starts after it.
    const after: Batch[] = [];
    const again = startPoller(
      stream,
      [consumer('outbox')],
      async (_fn, event) => {
        after.push(event);
      },
      { stateDir: dir },
    );
    await again.start();
    stream.write('STOCK#4');
    await until(() => expect(idsOf(after)).toEqual(['STOCK#4']));
  });

  it('hands a page one loop read to the other loop at the same place instead of reading it again', async () => {
    const stream = new FakeStream();
    const received: Record<string, string[]> = { outbox: [], ledger: [] };
    const p = startPoller(stream, [consumer('outbox'), consumer('ledger')], async (fn, event) => {
      received[fn]?.push(...idsOf([event]));
    });
    await p.start();
    // Each loop learns its place from the first record it reads itself.
    stream.write('r0');
    await until(() => expect([received.outbox, received.ledger]).toEqual([['r0'], ['r0']]));
    const before = stream.pagesWithRecords;
    stream.write('r1', 'r2', 'r3');
    await until(() =>
      expect([received.outbox, received.ledger]).toEqual([
        ['r0', 'r1', 'r2', 'r3'],
        ['r0', 'r1', 'r2', 'r3'],
      ]),
    );
    expect(stream.pagesWithRecords - before).toBe(1);
  });

  it('retries as many times as the AWS event source mapping does', () => {
    expect(STREAM_RETRY_ATTEMPTS).toBe(AWS_RETRY_ATTEMPTS);
  });
});
