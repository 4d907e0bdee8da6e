import { ENV, getEnv } from './env.ts';

/** The single table's name, read once at cold start. */
export const tableName = (): string => getEnv(ENV.tableName);

/** Key attributes every item carries; GSI keys are optional and named for their access pattern. */
export interface ItemKeys {
  pk: string;
  sk: string;
  gsi1pk?: string;
  gsi1sk?: string;
  gsi2pk?: string;
  gsi2sk?: string;
}

/** Opaque pagination cursor: DynamoDB's LastEvaluatedKey, base64url JSON. */
export function encodeCursor(key: Record<string, unknown> | undefined): string | undefined {
  return key ? Buffer.from(JSON.stringify(key)).toString('base64url') : undefined;
}

export function decodeCursor(cursor: string | undefined): Record<string, unknown> | undefined {
  if (!cursor) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Strips key attributes and the `entity` discriminator before an item leaves the adapter. */
export function withoutKeys<T extends object>(item: T): Omit<T, keyof ItemKeys | 'ttl'> {
  const {
    pk: _pk,
    sk: _sk,
    gsi1pk: _a,
    gsi1sk: _b,
    gsi2pk: _c,
    gsi2sk: _d,
    ttl: _t,
    entity: _e,
    ...rest
  } = item as T & ItemKeys & { ttl?: unknown; entity?: unknown };
  return rest as Omit<T, keyof ItemKeys | 'ttl'>;
}
