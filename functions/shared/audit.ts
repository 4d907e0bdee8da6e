import { randomUUID } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from './clients.ts';
import { logger } from './powertools.ts';
import { tableName } from './table.ts';

/**
 * The audit trail: one immutable record per command that reached a handler through the API
 * (who, which role, what, on what, outcome, before/after, correlation id, source IP).
 * Items: pk AUDIT#<auditId> sk AUDIT; gsi1 AUDITDAY#<yyyy-mm-dd> / <at>#<id> (time range);
 * gsi2 AUDITBY#<actor> / <at>#<id> (one person's actions).
 */
export interface AuditEntry {
  auditId: string;
  at: string;
  actor: string;
  roles: string[];
  action: string;
  target: Record<string, string>;
  path: string;
  status: number;
  outcome: 'succeeded' | 'rejected';
  correlationId: string;
  sourceIp?: string;
  userAgent?: string;
  before?: unknown;
  after?: unknown;
}

export const auditKeys = {
  entry: (id: string) => ({ pk: `AUDIT#${id}`, sk: 'AUDIT' }),
  byDay: (day: string) => `AUDITDAY#${day}`,
  byActor: (actor: string) => `AUDITBY#${actor}`,
  sort: (at: string, id: string) => `${at}#${id}`,
};

/** Fields never written to the audit trail, whatever route they arrive on. */
const REDACTED = /secret|password|token|authorization/i;

export function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, REDACTED.test(k) ? '[redacted]' : redact(v)]),
    );
  }
  return value;
}

export function newAuditEntry(input: Omit<AuditEntry, 'auditId' | 'at'>, now = new Date()): AuditEntry {
  return {
    auditId: randomUUID(),
    at: now.toISOString(),
    ...input,
    ...(input.before === undefined ? {} : { before: redact(input.before) }),
    ...(input.after === undefined ? {} : { after: redact(input.after) }),
  };
}

/** Appends the entry (never overwrites). A failed audit write is logged loudly, not hidden. */
export async function recordAudit(entry: AuditEntry): Promise<void> {
  const sort = auditKeys.sort(entry.at, entry.auditId);
  try {
    await documentClient().send(
      new PutCommand({
        TableName: tableName(),
        Item: {
          ...auditKeys.entry(entry.auditId),
          gsi1pk: auditKeys.byDay(entry.at.slice(0, 10)),
          gsi1sk: sort,
          gsi2pk: auditKeys.byActor(entry.actor),
          gsi2sk: sort,
          entity: 'AuditEntry',
          ...entry,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  } catch (error) {
    logger.error('Audit record could not be written', { error: error as Error, audit: entry });
  }
}
