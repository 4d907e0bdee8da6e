import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { documentClient } from '#shared/clients';
import { httpHandler, ok } from '#shared/http';
import { queryAll } from '#shared/queries';
import { tableName } from '#shared/table';
import { dynamoInboundStore } from '../adapters/inbound-store.ts';
import { dynamoPutawayStore } from '../adapters/putaway-store.ts';
import { dynamoReceivingStore } from '../adapters/receiving-store.ts';
import { putawayTaskId } from '../core/putaway.ts';
import { receiptReport } from '../core/receipt-report.ts';
import { AsnNotFound } from '../errors.ts';
import { receivingKeys } from '../keys.ts';
import { entityId } from '../schemas/inbound.ts';
import type { ScanRecord } from '../schemas/receiving.ts';

const store = dynamoInboundStore();
const receipts = dynamoReceivingStore();
const tasks = dynamoPutawayStore();
const db: DynamoDBDocumentClient = documentClient();
const table = tableName();

/**
 * GET /api/receipts/{asnId}: the receipt's counts per SKU against the ASN, its exceptions once
 * closed, its putaway progress and dock-to-stock (first scan → last putaway) once all is put away.
 */
export const handler = httpHandler({ params: z.object({ asnId: entityId }) }, async ({ params }) => {
  const { asnId } = params;
  const [asn, state, scans] = await Promise.all([
    store.getAsn(asnId),
    receipts.receipt(asnId),
    queryAll<ScanRecord>(db, {
      TableName: table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :scans)',
      ExpressionAttributeValues: {
        ':pk': receivingKeys.partition(asnId),
        ':scans': receivingKeys.scan(asnId, '').sk,
      },
      ConsistentRead: true,
    }),
  ]);
  if (!asn) throw new AsnNotFound(asnId);
  const good = scans.filter((s) => s.onAsn && s.condition === 'good');
  const found = await Promise.all(good.map((s) => tasks.task(putawayTaskId(asnId, s.scanId))));
  return ok(receiptReport(asn, state, scans, found));
});
