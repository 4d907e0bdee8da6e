import { QueryCommand, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import { type AuditEntry, auditKeys } from '#shared/audit';
import { documentClient } from '#shared/clients';
import { tableName, withoutKeys } from '#shared/table';

export interface AuditQuery {
  from: string;
  to: string;
  actor?: string;
  action?: string;
  limit: number;
  cursor?: { day?: string; key?: Record<string, unknown> };
}

const DAY_MS = 86_400_000;

/** Newest first. By actor: one GSI query; otherwise walks day partitions from `to` back to `from`. */
export function dynamoAuditLog(table = tableName()) {
  const db = documentClient();
  const send = (input: {
    index: 'gsi1' | 'gsi2';
    pk: string;
    from: string;
    to: string;
    action?: string;
    limit: number;
    start?: Record<string, unknown>;
  }): Promise<QueryCommandOutput> =>
    db.send(
      new QueryCommand({
        TableName: table,
        IndexName: input.index,
        KeyConditionExpression: `${input.index}pk = :pk AND ${input.index}sk BETWEEN :from AND :to`,
        ...(input.action ? { FilterExpression: '#action = :action' } : {}),
        ExpressionAttributeNames: input.action ? { '#action': 'action' } : undefined,
        ExpressionAttributeValues: {
          ':pk': input.pk,
          ':from': input.from,
          ':to': `${input.to}\uffff`,
          ...(input.action ? { ':action': input.action } : {}),
        },
        ScanIndexForward: false,
        Limit: input.limit,
        ExclusiveStartKey: input.start,
      }),
    );

  return {
    async list(
      q: AuditQuery,
    ): Promise<{ items: AuditEntry[]; next?: { day?: string; key?: Record<string, unknown> } }> {
      if (q.actor) {
        const out = await send({
          index: 'gsi2',
          pk: auditKeys.byActor(q.actor),
          from: q.from,
          to: q.to,
          action: q.action,
          limit: q.limit,
          start: q.cursor?.key,
        });
        return {
          items: (out.Items ?? []).map((i) => withoutKeys(i) as AuditEntry),
          ...(out.LastEvaluatedKey ? { next: { key: out.LastEvaluatedKey } } : {}),
        };
      }
      const items: AuditEntry[] = [];
      const firstDay = Date.parse(q.from.slice(0, 10));
      let day = q.cursor?.day ?? q.to.slice(0, 10);
      let start = q.cursor?.key;
      while (Date.parse(day) >= firstDay) {
        const out = await send({
          index: 'gsi1',
          pk: auditKeys.byDay(day),
          from: q.from,
          to: q.to,
          action: q.action,
          limit: q.limit - items.length,
          start,
        });
        items.push(...(out.Items ?? []).map((i) => withoutKeys(i) as AuditEntry));
        if (out.LastEvaluatedKey) {
          if (items.length >= q.limit) return { items, next: { day, key: out.LastEvaluatedKey } };
          start = out.LastEvaluatedKey;
          continue;
        }
        start = undefined;
        day = new Date(Date.parse(day) - DAY_MS).toISOString().slice(0, 10);
        if (items.length >= q.limit)
          return Date.parse(day) >= firstDay ? { items, next: { day } } : { items };
      }
      return { items };
    },
  };
}
