import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ENV } from '#manifest/table';
import { getOptionalEnv } from './env.ts';
import { traced } from './tracing.ts';

/**
 * SDK clients, created once per process and reused across invocations. In local mode the
 * endpoints point at DynamoDB Local, the local runtime's AWS emulation and s3rver; on AWS
 * they are unset and the SDK's defaults apply.
 */
function endpointFor(envName: string): { endpoint?: string } {
  const endpoint = getOptionalEnv(envName);
  return endpoint ? { endpoint } : {};
}

let dynamo: DynamoDBClient | undefined;
let doc: DynamoDBDocumentClient | undefined;
let events: EventBridgeClient | undefined;
let sfn: SFNClient | undefined;
let s3: S3Client | undefined;

export function dynamoClient(): DynamoDBClient {
  dynamo ??= traced(new DynamoDBClient({ ...endpointFor(ENV.ddbEndpoint), maxAttempts: 5 }));
  return dynamo;
}

/** Document client: plain JS values in, plain JS values out; `undefined` fields are dropped. */
export function documentClient(): DynamoDBDocumentClient {
  doc ??= DynamoDBDocumentClient.from(dynamoClient(), {
    marshallOptions: { removeUndefinedValues: true },
  });
  return doc;
}

export function eventBridgeClient(): EventBridgeClient {
  events ??= traced(new EventBridgeClient({ ...endpointFor(ENV.awsEndpoint) }));
  return events;
}

export function sfnClient(): SFNClient {
  sfn ??= traced(new SFNClient({ ...endpointFor(ENV.awsEndpoint) }));
  return sfn;
}

export function s3Client(): S3Client {
  s3 ??= traced(
    new S3Client({ ...endpointFor(ENV.s3Endpoint), forcePathStyle: Boolean(getOptionalEnv(ENV.s3Endpoint)) }),
  );
  return s3;
}
