import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ENV, getOptionalEnv } from './env.ts';
import { traced } from './tracing.ts';

/**
 * SDK clients, created once per process and reused across invocations. In local mode the
 * endpoints point at DynamoDB Local, the local runtime's AWS emulation and s3rver; on AWS
 * they are unset and the SDK's defaults apply.
 */
function endpointFor(envName: string): { endpoint?: string; signer?: typeof unsignedLocalSigner } {
  const endpoint = getOptionalEnv(envName);
  return endpoint ? { endpoint, signer: unsignedLocalSigner } : {};
}

/**
 * For local endpoints only (DynamoDB Local and the local runtime's emulation, never AWS): requests
 * carry a SigV4-shaped Authorization header with a zero signature. Neither server verifies
 * signatures, and computing one (a SHA-256 of the body, an HMAC chain, canonical headers) was
 * about a tenth of each call's CPU in the local runtime, on the same two cores as the engine.
 */
export const unsignedLocalSigner = {
  async sign<R extends { headers: Record<string, string> }>(request: R): Promise<R> {
    const amzDate = `${new Date().toISOString().replace(/[-:]|\.\d{3}/g, '')}`;
    request.headers['x-amz-date'] = amzDate;
    request.headers.authorization = `AWS4-HMAC-SHA256 Credential=local/${amzDate.slice(0, 8)}/local/local/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(64)}`;
    return request;
  },
};

/**
 * Where the local runtime's background worker hands emulated AWS calls to its main thread
 * (local/lambda-worker.ts): an X-Amz-Target and the JSON body in, the emulator's reply out.
 */
export const LOCAL_AWS_TRANSPORT = Symbol.for('quartermaster.local-aws-transport');
export type LocalAwsTransport = (
  target: string,
  body: string,
) => Promise<{ status: number; headers: Record<string, string>; body: string }>;

const utf8 = new TextDecoder();

/**
 * The EventBridge and Step Functions clients' options. On the local runtime's worker thread, the
 * emulator runs on the main thread of the same process: the request goes there as a message
 * instead of over loopback HTTP, which cost both threads an HTTP exchange per call (PutEvents is
 * on every order's path). The SDK still builds, serializes and parses every call.
 */
function awsEmulatorOptions() {
  const options = endpointFor(ENV.awsEndpoint);
  const transport = (globalThis as { [LOCAL_AWS_TRANSPORT]?: LocalAwsTransport })[LOCAL_AWS_TRANSPORT];
  if (!options.endpoint || !transport) return options;
  const requestHandler = {
    async handle(request: { headers: Record<string, string>; body?: unknown }) {
      // The SDK's JSON body is a string or bytes (a Uint8Array that warns when used as a string).
      const body =
        request.body instanceof Uint8Array ? utf8.decode(request.body) : String(request.body ?? '');
      const reply = await transport(request.headers['x-amz-target'] ?? '', body);
      return {
        response: {
          statusCode: reply.status,
          headers: { 'content-type': 'application/x-amz-json-1.1', ...reply.headers },
          body: new TextEncoder().encode(reply.body),
        },
      };
    },
    updateHttpClientConfig() {},
    httpHandlerConfigs: () => ({}),
  };
  return { ...options, requestHandler };
}

/**
 * Drops the SDK's logger middleware. On every call it walks the whole request and response to
 * redact sensitive fields for a logger that, by default, throws the result away: on large
 * responses (stream batches, queries) that walk is most of the call's CPU and blocks the event
 * loop. We log through Powertools, never through the SDK.
 */
export function withoutSdkLogging<T extends { middlewareStack: { remove(name: string): boolean } }>(
  client: T,
): T {
  client.middlewareStack.remove('loggerMiddleware');
  return client;
}

/** Every client the functions use: no SDK logging, an X-Ray subsegment per call on AWS. */
export const sdkClient = <T extends { middlewareStack: { remove(name: string): boolean } }>(client: T): T =>
  traced(withoutSdkLogging(client));

let dynamo: DynamoDBClient | undefined;
let doc: DynamoDBDocumentClient | undefined;
let events: EventBridgeClient | undefined;
let sfn: SFNClient | undefined;
let s3: S3Client | undefined;

export function dynamoClient(): DynamoDBClient {
  dynamo ??= sdkClient(new DynamoDBClient({ ...endpointFor(ENV.ddbEndpoint), maxAttempts: 5 }));
  return dynamo;
}

/**
 * How stored numbers are read: as the nearest JS number, always. The SDK's default turns a
 * number beyond ±2^53 − 1 into a BigInt, which throws as soon as it meets a number in arithmetic:
 * one bad item became a 500 on every read of its SKU and a stuck stream; writes are bounded (#shared/bounds), so such a value can only be an old one, and
 * reading it approximately lets the checker report it and a repair fix it.
 */
export const LENIENT_NUMBERS = { wrapNumbers: (value: string): number => Number(value) };

/** Document client: plain JS values in, plain JS values out; `undefined` fields are dropped. */
export function documentClient(): DynamoDBDocumentClient {
  doc ??= DynamoDBDocumentClient.from(dynamoClient(), {
    marshallOptions: { removeUndefinedValues: true },
    // A copy: the document client writes its own flag into the options it is given.
    unmarshallOptions: { ...LENIENT_NUMBERS },
  });
  return doc;
}

export function eventBridgeClient(): EventBridgeClient {
  events ??= sdkClient(new EventBridgeClient(awsEmulatorOptions()));
  return events;
}

export function sfnClient(): SFNClient {
  sfn ??= sdkClient(new SFNClient(awsEmulatorOptions()));
  return sfn;
}

export function s3Client(): S3Client {
  const endpoint = getOptionalEnv(ENV.s3Endpoint);
  // Only the local runtime sets an endpoint: s3rver, which wants path-style addressing and its
  // fixed, public development key pair. On AWS the function's role signs.
  const local = endpoint
    ? { endpoint, forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } }
    : {};
  s3 ??= sdkClient(new S3Client(local));
  return s3;
}
