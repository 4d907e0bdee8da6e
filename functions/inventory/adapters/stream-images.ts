import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { LENIENT_NUMBERS } from '#shared/clients';
import type { StreamChange } from '../core/stream-consumer.ts';

type Wire = Record<string, unknown>;

/**
 * An empty map can arrive as `{}` instead of `{ M: {} }` (the SDK's stream deserializer drops
 * the empty union member); read it as the empty map it is, at any depth.
 */
function repair(value: unknown): AttributeValue {
  if (!value || typeof value !== 'object') return value as AttributeValue;
  const v = value as Wire;
  const keys = Object.keys(v);
  if (keys.length === 0) return { M: {} };
  if (v.M && typeof v.M === 'object') {
    return { M: Object.fromEntries(Object.entries(v.M as Wire).map(([k, x]) => [k, repair(x)])) };
  }
  if (Array.isArray(v.L)) return { L: v.L.map(repair) };
  return v as unknown as AttributeValue;
}

export function unmarshallImage(image: unknown): Record<string, unknown> {
  const fixed = Object.fromEntries(Object.entries((image ?? {}) as Wire).map(([k, v]) => [k, repair(v)]));
  return unmarshall(fixed, LENIENT_NUMBERS) as Record<string, unknown>;
}

/** Lambda's DynamoDB stream records (or the local poller's, which have the same shape) as changes. */
export function streamChanges(
  records: readonly { eventName?: string; dynamodb?: { OldImage?: unknown; NewImage?: unknown } }[],
): StreamChange[] {
  return records.map((r) => ({
    eventName: (r.eventName ?? 'MODIFY') as StreamChange['eventName'],
    ...(r.dynamodb?.OldImage ? { oldImage: unmarshallImage(r.dynamodb.OldImage) } : {}),
    ...(r.dynamodb?.NewImage ? { newImage: unmarshallImage(r.dynamodb.NewImage) } : {}),
  }));
}
