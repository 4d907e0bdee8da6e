import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RuleSpec, RuleTarget } from '../../lib/manifest/types.ts';
import { type BusEnvelope, LocalBus, type QueueRecord } from '../../local/bus.ts';

/*
 * A batching rule target (on AWS: rule → SQS queue → Lambda) on the local bus, with fake timers:
 * the 20 ms gathering window and the retry back-off pass when the test says so.
 */
const RULES: RuleSpec[] = [
  {
    name: 'journal',
    description: 'test',
    pattern: { source: [{ prefix: 'qm.' }] },
    target: { fn: 'journal', batch: { size: 25, windowSeconds: 1 } },
  },
  { name: 'direct', description: 'test', pattern: { source: ['qm.test'] }, target: { fn: 'direct' } },
];

type Delivery = { fn: string; event: BusEnvelope | { Records: QueueRecord[] } };
const isBatch = (e: Delivery['event']): e is { Records: QueueRecord[] } => 'Records' in e;

function bus(answer: (records: QueueRecord[], call: number) => unknown = () => undefined) {
  const deliveries: Delivery[] = [];
  let calls = 0;
  const local = new LocalBus(
    RULES,
    async (target: RuleTarget, event) => {
      if (!('fn' in target)) throw new Error('no state machines here');
      deliveries.push({ fn: target.fn, event });
      return isBatch(event) ? answer(event.Records, ++calls) : undefined;
    },
    {
      busName: 'qm-test',
      region: 'us-east-1',
      account: '000000000000',
      policy: { attempts: 3, backoffMs: () => 100 },
    },
  );
  const batches = () =>
    deliveries.filter((d) => d.fn === 'journal').map((d) => d.event as { Records: QueueRecord[] });
  return { local, deliveries, batches };
}

const put = (local: LocalBus, count: number, source = 'qm.test') =>
  local.putEvents(
    Array.from({ length: count }, (_, i) => ({
      Source: source,
      DetailType: 'Happened',
      Detail: JSON.stringify({ n: i }),
    })),
  );
const numbers = (records: QueueRecord[]) =>
  records.map((r) => (JSON.parse(r.body) as { detail: { n: number } }).detail.n);

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('local bus: batching targets', () => {
  it('delivers a full batch at once and the rest when the window ends, in SQS shape', async () => {
    const { local, deliveries, batches } = bus();
    await put(local, 30);
    await vi.advanceTimersByTimeAsync(0);
    expect(batches().map((b) => b.Records.length)).toEqual([25]);
    // A plain function target still gets one event per invocation.
    expect(deliveries.filter((d) => d.fn === 'direct')).toHaveLength(30);
    await vi.advanceTimersByTimeAsync(19);
    expect(batches()).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(batches().map((b) => numbers(b.Records))).toEqual([
      Array.from({ length: 25 }, (_, i) => i),
      [25, 26, 27, 28, 29],
    ]);
    const [record] = batches()[0]?.Records ?? [];
    const envelope = JSON.parse(record?.body ?? '{}') as BusEnvelope;
    expect(envelope).toMatchObject({ source: 'qm.test', 'detail-type': 'Happened', detail: { n: 0 } });
    expect(local.events().map((e) => e.id)).toContain(envelope.id);
    expect(record).toMatchObject({
      eventSource: 'aws:sqs',
      awsRegion: 'us-east-1',
      eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:qm-test-journal',
      attributes: { ApproximateReceiveCount: '1' },
    });
    await local.drain();
  });

  it('makes drain() wait for events still being gathered', async () => {
    const { local, batches } = bus();
    await put(local, 3);
    let drained = false;
    void local.drain().then(() => {
      drained = true;
    });
    await vi.advanceTimersByTimeAsync(10);
    expect(drained).toBe(false);
    await vi.advanceTimersByTimeAsync(10);
    expect(drained).toBe(true);
    expect(batches().map((b) => b.Records.length)).toEqual([3]);
  });

  it('redelivers only the messages answered as batch item failures, with their message ids', async () => {
    const { local, batches } = bus((records, call) =>
      call === 1
        ? { batchItemFailures: records.slice(1, 3).map((r) => ({ itemIdentifier: r.messageId })) }
        : {},
    );
    await put(local, 5);
    await vi.advanceTimersByTimeAsync(20);
    const first = batches()[0]?.Records ?? [];
    await vi.advanceTimersByTimeAsync(100);
    const second = batches()[1]?.Records ?? [];
    expect(numbers(second)).toEqual([1, 2]);
    expect(second.map((r) => r.messageId)).toEqual(first.slice(1, 3).map((r) => r.messageId));
    expect(second.map((r) => r.attributes.ApproximateReceiveCount)).toEqual(['2', '2']);
    await local.drain();
    expect(batches()).toHaveLength(2);
    expect(local.deadLetters).toEqual([]);
  });

  it('retries the whole batch when the target throws or names a message it was not given, then dead-letters', async () => {
    const { local, batches } = bus((_records, call) => {
      if (call === 1) throw Object.assign(new Error('throttled'), { name: 'ThrottlingException' });
      return { batchItemFailures: [{ itemIdentifier: 'not-in-this-batch' }] };
    });
    await put(local, 2);
    await vi.advanceTimersByTimeAsync(20 + 100 + 100);
    await local.drain();
    expect(batches().map((b) => b.Records.length)).toEqual([2, 2, 2]);
    expect(local.deadLetters.map((d) => [d.rule, (d.event.detail as { n: number }).n])).toEqual([
      ['journal', 0],
      ['journal', 1],
    ]);
    expect(local.deadLetters[0]?.error).toBe('reported as a batch item failure');
  });
});
