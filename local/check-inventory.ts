import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { dynamoInventory } from '../functions/inventory/adapters/dynamo-inventory.ts';
import { dynamoScanner } from '../functions/inventory/adapters/dynamo-scanner.ts';
import { checkInvariants, DEFAULT_LAG_ALLOWANCE_MS } from '../functions/inventory/core/check-invariants.ts';
import { localConfig } from './config.ts';

/**
 * `npm run check:inventory`: proves the four inventory invariants against the running local
 * stack's DynamoDB (QM_DDB_PORT, default 8000; table quartermaster-local) and prints the
 * checker's JSON report. Exits 1 when a position breaks an invariant.
 * Options: `--sku <sku>` checks one SKU; `--lag-ms <n>` sets the stream lag allowance.
 */
const args = process.argv.slice(2);
const option = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const config = localConfig();
const client = new DynamoDBClient({
  endpoint: `http://127.0.0.1:${config.ddbPort}`,
  region: config.region,
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
});
const db = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
try {
  const { ledger } = dynamoInventory({ db, table: config.tableName });
  const sku = option('--sku');
  const report = await checkInvariants(
    { scanner: dynamoScanner({ db, table: config.tableName }), ledger, clock: () => new Date() },
    { lagAllowanceMs: Number(option('--lag-ms') ?? DEFAULT_LAG_ALLOWANCE_MS), ...(sku ? { sku } : {}) },
  );
  console.log(JSON.stringify(report, null, 2));
  process.exitCode = report.mismatches.length > 0 ? 1 : 0;
} catch (error) {
  console.error(
    `check:inventory could not read ${config.tableName} on port ${config.ddbPort}:`,
    (error as Error).message,
  );
  process.exitCode = 2;
} finally {
  client.destroy();
}
