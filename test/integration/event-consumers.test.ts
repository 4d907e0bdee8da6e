import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTable, startDynamoDbLocal } from '../../local/dynamodb.ts';
import { freePort } from '../support/ports.ts';

let ddb: Awaited<ReturnType<typeof startDynamoDbLocal>>;
let eventHandler: typeof import('../../functions/shared/event-handler.ts').eventHandler;
const context = { getRemainingTimeInMillis: () => 10_000, functionName: '' } as unknown as Context;

beforeAll(async () => {
  ddb = await startDynamoDbLocal({ port: await freePort(), inMemory: true });
  Object.assign(process.env, {
    QM_TABLE_NAME: 'consumers-test',
    QM_DDB_ENDPOINT: ddb.endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
  });
  const client = new DynamoDBClient({ endpoint: ddb.endpoint });
  await ensureTable(client, 'consumers-test');
  client.destroy();
  ({ eventHandler } = await import('../../functions/shared/event-handler.ts'));
});
afterAll(() => ddb?.stop());

const busEvent = () => ({
  id: randomUUID(),
  source: 'qm.inventory',
  'detail-type': 'StockAdjusted',
  time: new Date().toISOString(),
  detail: {
    metadata: {
      eventId: randomUUID(),
      occurredAt: new Date().toISOString(),
      version: 1,
      correlationId: 'c-1',
    },
    data: { sku: 'A' },
  },
});

describe('event consumers', () => {
  it('run once per event each, even when several consume the same event in one process', async () => {
    const runs = { projection: 0, notifier: 0 };
    const projection = eventHandler('projection', async () => {
      runs.projection++;
    });
    const notifier = eventHandler('notifier', async () => {
      runs.notifier++;
    });
    const event = busEvent();
    await projection(event, context);
    await notifier(event, context);
    // EventBridge delivers at least once: the same event again changes nothing.
    await projection({ ...event, id: randomUUID() }, context);
    await notifier(event, context);
    expect(runs).toEqual({ projection: 1, notifier: 1 });
  });

  it('runs again after a failure, so the bus retry is not swallowed', async () => {
    let attempts = 0;
    const flaky = eventHandler('flaky', async () => {
      attempts++;
      if (attempts === 1) throw new Error('downstream unavailable');
    });
    const event = busEvent();
    await expect(flaky(event, context)).rejects.toThrow('downstream unavailable');
    await flaky(event, context);
    expect(attempts).toBe(2);
  });

  it('rejects an event without the Quartermaster envelope', async () => {
    const consumer = eventHandler('strict', async () => undefined);
    await expect(consumer({ source: 'x', detail: {} }, context)).rejects.toThrow();
  });
});
