import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { s3Client } from '#shared/clients';
import { ENV, getOptionalEnv } from '#shared/env';

/** Where a raw body too large for its DynamoDB item is kept. */
export interface BodyRef {
  bucket: string;
  key: string;
}

/**
 * Large raw bodies of intake exceptions, kept as objects of the exports bucket under
 * `intake-exceptions/<exceptionId>` (the id is derived from channel and delivery, so a retried
 * delivery writes the same key). Undefined when this function has no bucket (not granted).
 */
export function s3BodyStore(bucket = getOptionalEnv(ENV.exportsBucket)) {
  if (!bucket) return undefined;
  return {
    async put(exceptionId: string, rawBody: string): Promise<BodyRef> {
      const key = `intake-exceptions/${exceptionId}`;
      await s3Client().send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: key,
          Body: rawBody,
          ContentType: 'application/octet-stream',
        }),
      );
      return { bucket, key };
    },
    async get(ref: BodyRef): Promise<string> {
      const out = await s3Client().send(new GetObjectCommand({ Bucket: ref.bucket, Key: ref.key }));
      return (await out.Body?.transformToString('utf8')) ?? '';
    },
  };
}
export type BodyStore = NonNullable<ReturnType<typeof s3BodyStore>>;
