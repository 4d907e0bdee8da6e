import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  type _Record,
  DescribeStreamCommand,
  type DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { StreamConsumerSpec } from '../../lib/manifest/types.ts';
import { StreamPoller } from '../../local/streams.ts';

const STREAM_ARN = 'arn:aws:dynamodb:ddblocal:000000000000:table/t/stream/2026-12-04T00:00:00.000';
const REGION = 'us-east-1';

/**
 * DynamoDB Local's stream, as far as the poller uses it: one shard of records in write order,
 * iterators that are positions in it, and on demand a TrimmedDataAccessException.
 */
class FakeStream {
  readonly records: _Record[] = [];
  /** The next GetRecords call fails as DynamoDB Local does on a stream that sat idle and empty. */
  trimNext = false;
  destroyed = false;
  private issued = 0;

  write(...ids: string[]): void {
    for (const id of ids) {
      this.records.push({
        eventID: id,
        eventName: 'INSERT',
        dynamodb: {
          Keys: { pk: { S: id } },
          // The streams SDK client reads an empty map as `{}`; Lambda would deliver `{ M: {} }`.
          NewImage: { pk: { S: id }, holds: {} as never },
          SequenceNumber: String(this.records.length),
        },
      });
    }
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
        return { StreamDescription: { Shards: [{ ShardId: 'shard-1' }] } };
      }
      if (command instanceof GetShardIteratorCommand) {
        const from = command.input.ShardIteratorType === 'LATEST' ? this.records.length : 0;
        return { ShardIterator: this.iterator(from) };
      }
      if (command instanceof GetRecordsCommand) {
        if (this.trimNext) {
          this.trimNext = false;
          throw Object.assign(new Error('trimmed'), { name: 'TrimmedDataAccessException' });
        }
        const from = Number((command.input.ShardIterator ?? '').split('|')[1]);
        const page = this.records.slice(from, from + (command.input.Limit ?? 1000));
        return { Records: page, NextShardIterator: this.iterator(from + page.length) };
      }
      throw new Error(`unexpected ${String(command)}`);
    },
    destroy: () => {
      this.destroyed = true;
    },
  } as unknown as DynamoDBStreamsClient;

  private iterator(position: number): string {
    return `shard-1|${position}|${this.issued++}`;
  }
}

const consumer = (name: string, batchSize?: number): StreamConsumerSpec => ({
  name,
  description: 'test',
  fn: name,
  ...(batchSize ? { batchSize } : {}),
});
type Batch = { Records: (_Record & { eventSourceARN: string; eventSource: string; awsRegion: string })[] };
const idsOf = (batches: Batch[]) => batches.flatMap((b) => b.Records.map((r) => r.eventID));
const until = (check: () => void) => vi.waitFor(check, { timeout: 5000, interval: 5 });

let poller: StreamPoller | undefined;
afterEach(async () => {
  await poller?.stop();
  poller = undefined;
});

function startPoller(
  stream: FakeStream,
  consumers: StreamConsumerSpec[],
  invoke: (fn: string, event: Batch) => Promise<unknown>,
) {
  poller = new StreamPoller(
    stream.ddb,
    stream.client,
    't',
    consumers,
    (fn, event) => invoke(fn, event as Batch),
    REGION,
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
    expect(p.isIdle()).toBe(true);

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

  it('starts at the stream’s end and delivers Lambda-shaped records', async () => {
    const stream = new FakeStream();
    stream.write('before-start');
    const received: Batch[] = [];
    const p = startPoller(stream, [consumer('projection')], async (_fn, event) => {
      received.push(event);
    });
    await p.start();
    stream.write('after-start');
    await until(() => expect(idsOf(received)).toEqual(['after-start']));
    const [record] = received[0]?.Records ?? [];
    expect(record).toMatchObject({
      eventSource: 'aws:dynamodb',
      eventSourceARN: STREAM_ARN,
      awsRegion: REGION,
      dynamodb: { NewImage: { pk: { S: 'after-start' }, holds: { M: {} } } },
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
});
