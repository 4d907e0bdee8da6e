import { createHash, randomUUID } from 'node:crypto';
import { closeSync, createReadStream, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient, s3Client } from '#shared/clients';
import { ENV, getEnv } from '#shared/env';
import { getItem } from '#shared/queries';
import { tableName, withoutKeys } from '#shared/table';
import type { CostPosition } from '../core/costing.ts';
import type { ExportRun, ExportTarget } from '../core/exports.ts';
import { financeKeys as k } from '../keys.ts';

/**
 * Export files go to a temporary file while they are written (hashed on the way), then to S3 in
 * one streamed PutObject: a day's rows never sit in memory, and an object appears only whole.
 */
export function s3ExportTarget(bucket = getEnv(ENV.exportsBucket)): ExportTarget {
  return {
    file(key) {
      const file = path.join(tmpdir(), `qm-export-${randomUUID()}`);
      const fd = openSync(file, 'w');
      const hash = createHash('sha256');
      let bytes = 0;
      return {
        write(chunk) {
          writeSync(fd, chunk);
          hash.update(chunk);
          bytes += chunk.byteLength;
        },
        async close() {
          closeSync(fd);
          const digest = hash.digest();
          try {
            await s3Client().send(
              new PutObjectCommand({
                Bucket: bucket,
                Key: key,
                Body: createReadStream(file),
                ContentLength: bytes,
                // A checksum given up front goes as a header: S3 verifies the object against it, and
                // the SDK sends the stream as it is instead of chunk-encoding it with a trailer.
                ChecksumSHA256: digest.toString('base64'),
                ContentType: key.endsWith('.csv') ? 'text/csv' : 'application/vnd.apache.parquet',
              }),
            );
          } finally {
            rmSync(file, { force: true });
          }
          return { sha256: digest.toString('hex'), bytes };
        },
      };
    },
    async put(key, body) {
      await s3Client().send(
        new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'application/json' }),
      );
    },
  };
}

/** Export runs and the cost history the valuation snapshot reads. */
export function dynamoExportStore(opts: { db?: DynamoDBDocumentClient; table?: string } = {}) {
  const db = opts.db ?? documentClient();
  const table = opts.table ?? tableName();
  const runItem = (run: ExportRun) => ({
    ...k.exportRun(run.runId),
    gsi1pk: k.exportRuns,
    gsi1sk: `${run.requestedAt}#${run.runId}`,
    entity: 'ExportRun',
    ...run,
  });
  return {
    async putRun(run: ExportRun) {
      await db.send(new PutCommand({ TableName: table, Item: runItem(run) }));
    },
    /** Records a requested run unless the export has already written it (it may be running by now). */
    async putRequestedRun(run: ExportRun) {
      try {
        await db.send(
          new PutCommand({
            TableName: table,
            Item: runItem(run),
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
      } catch (error) {
        if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
      }
    },
    run: (runId: string) => getItem<ExportRun>(db, table, k.exportRun(runId)),
    recentRuns: async (limit: number) => {
      const out = await db.send(
        new QueryCommand({
          TableName: table,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :p',
          ExpressionAttributeValues: { ':p': k.exportRuns },
          ScanIndexForward: false,
          Limit: limit,
        }),
      );
      return (out.Items ?? []).map((i) => withoutKeys(i) as unknown as ExportRun);
    },
    async *valuationAsOf(at: string): AsyncIterable<CostPosition> {
      let start: Record<string, unknown> | undefined;
      do {
        const page = await db.send(
          new QueryCommand({
            TableName: table,
            IndexName: 'gsi1',
            KeyConditionExpression: 'gsi1pk = :p',
            ExpressionAttributeValues: { ':p': k.positions },
            Limit: 200,
            ...(start ? { ExclusiveStartKey: start } : {}),
          }),
        );
        for (const item of page.Items ?? []) {
          const p = withoutKeys(item) as unknown as CostPosition;
          const history = await db.send(
            new QueryCommand({
              TableName: table,
              KeyConditionExpression: 'pk = :p AND sk BETWEEN :a AND :b',
              ExpressionAttributeValues: {
                ':p': k.position(p.sku, p.locationId).pk,
                ':a': 'AT#',
                ':b': `AT#${at}#\uffff`,
              },
              ScanIndexForward: false,
              Limit: 1,
            }),
          );
          const last = history.Items?.[0];
          if (last) yield withoutKeys(last) as unknown as CostPosition;
        }
        start = page.LastEvaluatedKey;
      } while (start);
    },
  };
}
