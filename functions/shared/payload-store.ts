import { createHash } from 'node:crypto';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { z } from 'zod';
import { s3Client } from './clients.ts';
import { ENV, getOptionalEnv } from './env.ts';

/** Where an event's `data` is kept when it is too large to travel on the bus (claim check). */
export const dataRefSchema = z.object({
  bucket: z.string().min(1),
  key: z.string().min(1),
  /** UTF-8 bytes of the stored JSON. */
  bytes: z.number().int().nonnegative(),
  /** Hex SHA-256 of the stored JSON, checked on every read. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});
export type DataRef = z.infer<typeof dataRefSchema>;

/** The stored payload is not the one the event points at (changed, truncated or replaced). */
export class PayloadIntegrityError extends Error {
  constructor(ref: DataRef, problem: string) {
    super(`Event payload s3://${ref.bucket}/${ref.key}: ${problem}`);
    this.name = 'PayloadIntegrityError';
  }
}

/** Outbound port for claim-checked payloads: the publisher puts, consumers get. */
export interface PayloadStore {
  put(key: string, json: string): Promise<DataRef>;
  get(ref: DataRef): Promise<string>;
}

export const sha256Hex = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** Reads a payload and answers its parsed JSON, refusing it unless size and hash match the ref. */
export async function resolvePayload(store: PayloadStore, ref: DataRef): Promise<unknown> {
  const json = await store.get(ref);
  const bytes = Buffer.byteLength(json, 'utf8');
  if (bytes !== ref.bytes) throw new PayloadIntegrityError(ref, `${bytes} bytes, expected ${ref.bytes}`);
  if (sha256Hex(json) !== ref.sha256) throw new PayloadIntegrityError(ref, 'SHA-256 does not match');
  return JSON.parse(json);
}

/** Text objects of one bucket: what the claim check and intake's large bodies both keep. */
export function bucketObjects(bucket: string) {
  return {
    async put(key: string, body: string, contentType: string): Promise<void> {
      await s3Client().send(
        new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType }),
      );
    },
    async getText(ref: { bucket: string; key: string }): Promise<string> {
      const out = await s3Client().send(new GetObjectCommand({ Bucket: ref.bucket, Key: ref.key }));
      return (await out.Body?.transformToString('utf8')) ?? '';
    },
  };
}

/**
 * Payloads as objects of the exports bucket. Undefined when this function has no bucket (not
 * granted): then a publisher cannot claim-check and a consumer cannot resolve, and both say so.
 */
export function s3PayloadStore(bucket = getOptionalEnv(ENV.exportsBucket)): PayloadStore | undefined {
  if (!bucket) return undefined;
  const objects = bucketObjects(bucket);
  return {
    async put(key, json) {
      await objects.put(key, json, 'application/json');
      return { bucket, key, bytes: Buffer.byteLength(json, 'utf8'), sha256: sha256Hex(json) };
    },
    get: (ref) => objects.getText(ref),
  };
}
