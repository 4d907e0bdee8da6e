import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type Bench, measure, round } from './context.ts';

/**
 * The foundation's write path: POST /api/inventory/adjustments over HTTP (gateway, JWT,
 * handler, the position and its audit record in one transaction, event) beside the raw engine doing one conditional UpdateItem
 * per operation on the same table.
 */
const bench: Bench = async ({ runtime, raw, tableName, scale }) => {
  const total = Math.max(200, Math.round(2000 * scale));
  const concurrency = 32;

  await raw.send(
    new UpdateCommand({
      TableName: tableName,
      Key: { pk: 'BENCH#raw', sk: 'ITEM' },
      UpdateExpression: 'SET n = :zero',
      ExpressionAttributeValues: { ':zero': 0 },
    }),
  );
  const rawUpdate = await measure(total, concurrency, () =>
    raw.send(
      new UpdateCommand({
        TableName: tableName,
        Key: { pk: 'BENCH#raw', sk: 'ITEM' },
        UpdateExpression: 'SET n = n + :one',
        ConditionExpression: 'n >= :zero',
        ExpressionAttributeValues: { ':one': 1, ':zero': 0 },
      }),
    ),
  );

  await runtime.api('PUT', '/api/locations/BENCH-WH', { body: { name: 'Bench', type: 'warehouse' } });
  const skus = Array.from({ length: 16 }, (_, i) => `BENCH-ADJ-${i}`);
  for (const sku of skus) await runtime.api('PUT', `/api/skus/${sku}`, { body: { name: sku } });
  // Spread over 16 positions: adjustments are optimistic, so one hot position measures retries, not the path.
  const http = await measure(total, concurrency, async (i) => {
    const res = await runtime.api('POST', '/api/inventory/adjustments', {
      body: {
        sku: skus[i % skus.length],
        locationId: 'BENCH-WH',
        delta: 1,
        reason: 'bench',
        idempotencyKey: `bench-adj-${i}`,
      },
    });
    if (res.status !== 201) throw new Error(`adjustment answered ${res.status}`);
  });
  await runtime.settle();
  return {
    rawConditionalUpdateItem: rawUpdate,
    adjustmentOverHttp: http,
    adjustmentVsRawUpdate: round(http.perSecond / rawUpdate.perSecond),
    note: 'adjustment = gateway + JWT + handler + 2-item TransactWriteItems (position + its audit record) + consistent read-back + audit completion UpdateItem + PutEvents; raw = one conditional UpdateItem',
  };
};
export default bench;
