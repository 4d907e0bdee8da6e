import { ENV, getOptionalEnv } from '#shared/env';
import { bucketObjects } from '#shared/payload-store';

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
  const objects = bucketObjects(bucket);
  return {
    async put(exceptionId: string, rawBody: string): Promise<BodyRef> {
      const key = `intake-exceptions/${exceptionId}`;
      await objects.put(key, rawBody, 'application/octet-stream');
      return { bucket, key };
    },
    get: (ref: BodyRef): Promise<string> => objects.getText(ref),
  };
}
export type BodyStore = NonNullable<ReturnType<typeof s3BodyStore>>;
