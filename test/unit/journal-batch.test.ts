import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Context, SQSBatchResponse, SQSRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { dynamoJournal } from '../../functions/platform/adapters/journal-store.ts';
import type { JournalEntry } from '../../functions/platform/core/journal.ts';

const TABLE = 'journal-test';
const ddb = mockClient(DynamoDBDocumentClient);
const db = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
const noWait = { attempts: 3, backoffMs: () => 0 };
const context = { getRemainingTimeInMillis: () => 10_000, functionName: 'recordEvent' } as unknown as Context;

type Put = { PutRequest: { Item: Record<string, unknown> } };
const putsOf = (call: number) =>
  (ddb.commandCalls(BatchWriteCommand)[call]?.args[0].input.RequestItems?.[TABLE] ?? []) as Put[];
const idsOf = (puts: Put[]) => puts.map((p) => p.PutRequest.Item.eventId);

const entry = (eventId: string): JournalEntry => ({
  eventId,
  source: 'qm.inventory',
  detailType: 'StockAdjusted',
  occurredAt: '2026-12-04T10:00:00.000Z',
  correlationId: 'c-1',
  subject: 'sku:TEE-M',
  data: { sku: 'TEE-M' },
});

const busEvent = (eventId: string = randomUUID()) => ({
  version: '0',
  id: randomUUID(),
  source: 'qm.inventory',
  'detail-type': 'StockAdjusted',
  account: '000000000000',
  time: '2026-12-04T10:00:00Z',
  region: 'us-east-1',
  resources: [],
  detail: {
    metadata: { eventId, occurredAt: '2026-12-04T10:00:00.000Z', version: 1, correlationId: 'c-1' },
    data: { sku: 'TEE-M', delta: 1 },
  },
});

const message = (body: unknown, messageId: string = randomUUID()): SQSRecord =>
  ({
    messageId,
    receiptHandle: messageId,
    body: typeof body === 'string' ? body : JSON.stringify(body),
    attributes: {},
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:journal',
    awsRegion: 'us-east-1',
  }) as unknown as SQSRecord;

beforeEach(() => ddb.reset());

describe('journal store: batched writes', () => {
  const journal = dynamoJournal(TABLE, db, noWait);

  it('writes 25 entries per BatchWriteItem, each keyed by its event id', async () => {
    ddb.on(BatchWriteCommand).resolves({});
    const ids = Array.from({ length: 60 }, (_, i) => `e${i}`);
    expect(await journal.recordAll(ids.map(entry))).toEqual([]);
    expect(ddb.commandCalls(BatchWriteCommand).map((_, i) => putsOf(i).length)).toEqual([25, 25, 10]);
    expect([0, 1, 2].flatMap((i) => idsOf(putsOf(i)))).toEqual(ids);
    expect(putsOf(0)[0]?.PutRequest.Item).toMatchObject({
      pk: 'EVENT#e0',
      sk: 'EVENT',
      gsi1pk: 'JOURNAL#StockAdjusted',
      gsi1sk: '2026-12-04T10:00:00.000Z#e0',
      gsi2pk: 'SUBJECT#sku:TEE-M',
      entity: 'JournalEntry',
      eventId: 'e0',
    });
  });

  it('writes an event delivered twice in one batch once (one call may not name an item twice)', async () => {
    ddb.on(BatchWriteCommand).resolves({});
    await journal.recordAll([entry('a'), entry('b'), entry('a')]);
    expect(idsOf(putsOf(0))).toEqual(['a', 'b']);
  });

  it('retries exactly the items DynamoDB left unprocessed', async () => {
    ddb
      .on(BatchWriteCommand)
      .resolvesOnce({
        UnprocessedItems: {
          [TABLE]: [{ PutRequest: { Item: { pk: 'EVENT#b', sk: 'EVENT', eventId: 'b' } } }],
        },
      })
      .resolves({});
    expect(await journal.recordAll([entry('a'), entry('b'), entry('c')])).toEqual([]);
    expect(ddb.commandCalls(BatchWriteCommand)).toHaveLength(2);
    expect(idsOf(putsOf(1))).toEqual(['b']);
  });

  it('gives back the event ids still unprocessed after its attempts', async () => {
    ddb.on(BatchWriteCommand).callsFake((input: { RequestItems: Record<string, Put[]> }) => ({
      UnprocessedItems: {
        [TABLE]: (input.RequestItems[TABLE] ?? []).filter((p) => p.PutRequest.Item.eventId === 'b'),
      },
    }));
    expect(await journal.recordAll([entry('a'), entry('b')])).toEqual(['b']);
    expect(ddb.commandCalls(BatchWriteCommand)).toHaveLength(noWait.attempts);
  });
});

describe('journal handler', () => {
  let handler: (event: unknown, context: Context) => Promise<SQSBatchResponse | undefined>;
  beforeAll(async () => {
    process.env.QM_TABLE_NAME = TABLE;
    process.env.AWS_REGION = 'us-east-1';
    ({ handler } = await import('../../functions/platform/handlers/record-event.ts'));
  });

  it('journals an SQS batch of EventBridge events in one BatchWriteItem', async () => {
    ddb.on(BatchWriteCommand).resolves({});
    const events = [busEvent(), busEvent(), busEvent()];
    const answer = await handler({ Records: events.map((e) => message(e)) }, context);
    expect(answer).toEqual({ batchItemFailures: [] });
    expect(ddb.commandCalls(BatchWriteCommand)).toHaveLength(1);
    expect(idsOf(putsOf(0))).toEqual(events.map((e) => e.detail.metadata.eventId));
    expect(putsOf(0)[0]?.PutRequest.Item).toMatchObject({
      subject: 'sku:TEE-M',
      data: { sku: 'TEE-M', delta: 1 },
    });
  });

  it('answers unreadable messages and unwritten events as batch item failures, and only those', async () => {
    const stuck = busEvent();
    ddb.on(BatchWriteCommand).callsFake((input: { RequestItems: Record<string, Put[]> }) => ({
      UnprocessedItems: {
        [TABLE]: (input.RequestItems[TABLE] ?? []).filter(
          (p) => p.PutRequest.Item.eventId === stuck.detail.metadata.eventId,
        ),
      },
    }));
    const records = [
      message(busEvent(), 'ok'),
      message('{not json', 'garbled'),
      message({ source: 'qm.x', detail: {} }, 'no-envelope'),
      message(stuck, 'stuck-1'),
      // EventBridge → SQS is at least once: the same event in two messages; both come back.
      message(stuck, 'stuck-2'),
    ];
    const answer = await handler({ Records: records }, context);
    expect(answer?.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(
      ['garbled', 'no-envelope', 'stuck-1', 'stuck-2'].sort(),
    );
  }, 10_000);

  it('still journals a single EventBridge event delivered directly', async () => {
    ddb.on(PutCommand).resolves({});
    const event = busEvent('direct-1');
    expect(await handler(event, context)).toBeUndefined();
    expect(ddb.commandCalls(PutCommand)[0]?.args[0].input.Item).toMatchObject({
      pk: 'EVENT#direct-1',
      eventId: 'direct-1',
    });
  });

  it('refuses a single event without the Quartermaster envelope (the bus retries it)', async () => {
    await expect(handler({ source: 'qm.x', detail: {} }, context)).rejects.toThrow();
  });
});
