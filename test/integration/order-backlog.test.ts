import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ordersKeys } from '../../functions/orders/keys.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';

/**
 * GET /api/orders/backlog replays each order's status history: every day shows the backlog as it
 * stood at the end of that day, not today's status of that day's orders. The orders are written
 * with a known history (days in the past), as the release and fulfillment steps record it.
 */

let rt: TestRuntime;
const DAY = 86_400_000;
const today = Date.parse(`${new Date().toISOString().slice(0, 10)}T00:00:00.000Z`);
/** `days` UTC days ago (0 = today) at `time` (HH:mm), as an ISO instant. */
const at = (days: number, time: string) =>
  new Date(today - days * DAY + Date.parse(`1970-01-01T${time}:00.000Z`)).toISOString();
const day = (days: number) => new Date(today - days * DAY).toISOString().slice(0, 10);

async function putOrder(
  db: DynamoDBDocumentClient,
  orderId: string,
  placedAt: string,
  history: [status: string, at: string][],
) {
  const status = history.at(-1)?.[0] ?? 'received';
  await db.send(
    new PutCommand({
      TableName: rt.config.tableName,
      Item: {
        ...ordersKeys.order(orderId),
        ...ordersKeys.orderStatusIndex(status, placedAt, orderId),
        orderId,
        status,
        placedAt,
        ...(history.length
          ? { statusHistory: history.map(([s, when]) => ({ status: s, at: when, by: 'test' })) }
          : {}),
      },
    }),
  );
}

beforeAll(async () => {
  rt = await startTestRuntime();
  const db = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: `http://127.0.0.1:${rt.config.ddbPort}`,
      region: rt.config.region,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
  );
  // Released the day after it came in, shipped the day after that.
  await putOrder(db, 'bk-shipped', at(3, '10:00'), [
    ['released', at(2, '09:00')],
    ['shipped', at(1, '15:00')],
  ]);
  // Held on arrival, the hold released the next morning, then short of stock.
  await putOrder(db, 'bk-backordered', at(2, '12:00'), [
    ['on_hold', at(2, '12:05')],
    ['received', at(1, '08:00')],
    ['backordered', at(1, '08:01')],
  ]);
  // Placed before the window, cancelled on its first day.
  await putOrder(db, 'bk-cancelled', at(5, '10:00'), [['cancelled', at(3, '11:00')]]);
  // Came in late yesterday, nothing has happened to it since.
  await putOrder(db, 'bk-new', at(1, '23:00'), []);
  // Shipped long before the window: not part of it.
  await putOrder(db, 'bk-old', at(200, '10:00'), [['shipped', at(199, '10:00')]]);
}, 120_000);

afterAll(async () => {
  await rt?.stop();
});

describe('GET /api/orders/backlog', () => {
  it('shows the backlog as it stood at the end of each day, from the orders’ status histories', async () => {
    const res = await rt.api('GET', '/api/orders/backlog?days=4', { role: 'supervisor' });

    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const days = res.body.days as { date: string; counts: Record<string, number> }[];
    expect(days.map((d) => d.date)).toEqual([day(3), day(2), day(1), day(0)]);
    const nonZero = days.map((d) => Object.fromEntries(Object.entries(d.counts).filter(([, n]) => n > 0)));
    expect(nonZero).toEqual([
      // Open statuses as they stood at midnight; shipped and cancelled: reached that day.
      { received: 1, cancelled: 1 },
      { released: 1, on_hold: 1 },
      { backordered: 1, received: 1, shipped: 1 },
      { backordered: 1, received: 1 },
    ]);
    expect(res.body.truncated).toBe(false);
  });
});
