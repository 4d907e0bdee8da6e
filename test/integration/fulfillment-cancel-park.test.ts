import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamoShipmentStore } from '../../functions/fulfillment/adapters/shipment-store.ts';
import { requestCancel } from '../../functions/fulfillment/core/cancellation.ts';
import type { ShippingRecord } from '../../functions/fulfillment/core/shipping-ports.ts';
import { waitingIn } from '../../functions/fulfillment/core/workflow-steps.ts';
import { fulfillmentKeys } from '../../functions/fulfillment/keys.ts';
import { ensureTable, startDynamoDbLocal } from '../../local/dynamodb.ts';
import { freePort } from '../support/ports.ts';

/**
 * A cancel asked while the workflow parks on its next phase, on DynamoDB Local: the workflow's
 * park writes its token between the cancel's read and its write. The cancel must still fail
 * that token, or the execution waits on a cancelled fulfillment until the phase times out.
 */
const TABLE = 'cancel-park';
let ddb: Awaited<ReturnType<typeof startDynamoDbLocal>>;
let client: DynamoDBClient;
let db: DynamoDBDocumentClient;

beforeAll(async () => {
  ddb = await startDynamoDbLocal({ port: await freePort(), inMemory: true });
  client = new DynamoDBClient({
    endpoint: ddb.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  await ensureTable(client, TABLE);
  db = DynamoDBDocumentClient.from(client);
}, 60_000);
afterAll(async () => {
  client?.destroy();
  await ddb?.stop();
});

const waved = (id: string): ShippingRecord =>
  ({
    fulfillmentId: id,
    orderId: `order-of-${id}`,
    locationId: 'WH-1',
    status: 'waved',
    priority: 5,
    createdAt: '2026-12-05T00:00:00.000Z',
    version: 3,
    lines: [{ sku: 'TEE', quantity: 1 }],
    tokens: { waved: 'token-waved' },
  }) as unknown as ShippingRecord;

describe('a cancel racing the workflow parking on its next phase', () => {
  it('fails the token parked between the cancel’s read and its write', async () => {
    const f = waved('F-PARK-RACE');
    await db.send(
      new PutCommand({
        TableName: TABLE,
        Item: { ...fulfillmentKeys.fulfillment(f.fulfillmentId), ...f },
      }),
    );
    // The workflow parks on `picked` at the worst moment: right before the cancel's write lands.
    let parked: boolean | undefined;
    // A client of its own: the document client shares its base client's middleware stack.
    const racingBase = new DynamoDBClient({
      endpoint: ddb.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const racing = DynamoDBDocumentClient.from(racingBase);
    racing.middlewareStack.add(
      (next, context) => async (args) => {
        const input = args.input as {
          UpdateExpression?: string;
          ExpressionAttributeNames?: Record<string, string>;
        };
        const cancelWrite =
          /^Update(Item)?Command$/.test(context.commandName ?? '') &&
          Object.values(input.ExpressionAttributeNames ?? {}).includes('cancelRequested');
        if (cancelWrite && parked === undefined) {
          const before = (await dynamoShipmentStore(TABLE, db).load(f.fulfillmentId)) as ShippingRecord;
          parked = await dynamoShipmentStore(TABLE, db).parkToken(
            before,
            'picked',
            'token-picked',
            waitingIn('picked'),
          );
        }
        return next(args);
      },
      { step: 'initialize', name: 'parkBeforeCancel' },
    );
    const failed: string[] = [];
    const outcome = await requestCancel(
      {
        shipments: dynamoShipmentStore(TABLE, racing),
        tokens: {
          succeed: async () => 'ok',
          fail: async (token) => {
            failed.push(token);
            return 'ok';
          },
        },
        clock: () => new Date('2026-12-05T01:00:00.000Z'),
      },
      f.fulfillmentId,
      'customer changed their mind',
    );
    racingBase.destroy();
    expect(parked).toBe(true);
    expect(outcome).toBe('requested');
    expect(failed).toContain('token-picked');

    // A park after the cancel is refused: the workflow sees the cancel when it retries.
    const after = (await dynamoShipmentStore(TABLE, db).load(f.fulfillmentId)) as ShippingRecord;
    expect(after.cancelRequested).toMatchObject({ reason: 'customer changed their mind' });
    expect(await dynamoShipmentStore(TABLE, db).parkToken(after, 'picked', 'late', waitingIn('picked'))).toBe(
      false,
    );
  });
});
