import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';

/*
 * The journal rule is a batching target: the local bus gathers its events (as the SQS queue in
 * front of the function does on AWS) and the handler writes each batch with BatchWriteItem, on the
 * runtime's background worker against DynamoDB Local.
 */
let rt: TestRuntime;
beforeAll(async () => {
  rt = await startTestRuntime();
});
afterAll(() => rt?.stop());

const probe = (eventId: string, n: number) => ({
  Source: 'qm.test',
  DetailType: 'JournalProbe',
  Detail: JSON.stringify({
    metadata: {
      eventId,
      occurredAt: new Date(Date.UTC(2026, 11, 4, 10, 0, n)).toISOString(),
      version: 1,
      correlationId: 'c-journal',
    },
    data: { orderId: `ord-${n % 3}`, n },
  }),
});

describe('event journal in batches', () => {
  it('journals a burst with one invocation per 25 events, once per event id, readable through GET /api/events', async () => {
    const invoke = vi.spyOn(rt.lambdas, 'invokeInBackground');
    const ids = Array.from({ length: 60 }, () => randomUUID());
    // The first event again, as a redelivery would bring it: the journal keeps one entry.
    const put = await rt.bus.putEvents([...ids.map(probe), probe(ids[0] as string, 0)]);
    expect(put.FailedEntryCount).toBe(0);
    await rt.settle();

    const journalCalls = invoke.mock.calls.filter(([fn]) => fn === 'recordEvent');
    expect(journalCalls.map(([, event]) => (event as { Records: unknown[] }).Records.length)).toEqual([
      25, 25, 11,
    ]);
    expect(rt.bus.deadLetters).toEqual([]);

    const byType = await rt.api('GET', '/api/events?type=JournalProbe&limit=200', { role: 'supervisor' });
    expect(byType.status).toBe(200);
    expect(byType.body.items.map((e: { eventId: string }) => e.eventId).sort()).toEqual([...ids].sort());
    // Newest first.
    expect(byType.body.items[0]).toMatchObject({
      eventId: ids[59],
      detailType: 'JournalProbe',
      data: { n: 59 },
    });

    const bySubject = await rt.api('GET', '/api/events?subject=orderId:ord-1&limit=200', {
      role: 'customer-service',
    });
    expect(bySubject.body.items).toHaveLength(20);
    invoke.mockRestore();
  });
});
