import { GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { auditCancelled, auditCommitted, auditPut, cancellationReasons } from '#shared/audit';
import { documentClient } from '#shared/clients';
import { Conflict } from '#shared/errors';
import { tableName, withoutKeys } from '#shared/table';
import { releaseKeys } from '../keys.ts';
import { type RoutingRuleSet, routingRuleSet, type StoredRuleSet } from '../schemas.ts';

/** Rules read on every allocation are cached briefly; a new version is seen within this long. */
const ACTIVE_CACHE_MS = 5_000;
let cached: { at: number; value: StoredRuleSet } | undefined;

/** Version 0: the defaults, until someone PUTs a rule set. */
export const DEFAULT_RULES: StoredRuleSet = {
  version: 0,
  rules: routingRuleSet.parse({}),
  createdAt: '1970-01-01T00:00:00.000Z',
  createdBy: 'system',
};

/**
 * Routing rules as versioned items: each PUT writes `VERSION#<n+1>` (never overwritten) and
 * moves the `ACTIVE` pointer, in one transaction conditioned on the version the writer read.
 */
export function dynamoRulesStore(table = tableName()) {
  const db = documentClient();
  const read = async (version: number): Promise<StoredRuleSet | undefined> => {
    const out = await db.send(new GetCommand({ TableName: table, Key: releaseKeys.rulesVersion(version) }));
    return out.Item ? (withoutKeys(out.Item) as unknown as StoredRuleSet) : undefined;
  };
  const activeVersion = async (consistent: boolean): Promise<number> => {
    const out = await db.send(
      new GetCommand({ TableName: table, Key: releaseKeys.rulesActive, ConsistentRead: consistent }),
    );
    return (out.Item?.version as number | undefined) ?? 0;
  };
  return {
    async active(): Promise<StoredRuleSet> {
      if (cached && Date.now() - cached.at < ACTIVE_CACHE_MS) return cached.value;
      const version = await activeVersion(false);
      const value = version === 0 ? DEFAULT_RULES : ((await read(version)) ?? DEFAULT_RULES);
      cached = { at: Date.now(), value };
      return value;
    },
    async put(input: {
      rules: RoutingRuleSet;
      by: string;
      note?: string;
      expectedVersion?: number;
      at: string;
    }): Promise<StoredRuleSet> {
      const current = await activeVersion(true);
      if (input.expectedVersion !== undefined && input.expectedVersion !== current) {
        throw new Conflict('RULES_VERSION_CHANGED', `The active rules are version ${current}`, { current });
      }
      const stored: StoredRuleSet = {
        version: current + 1,
        rules: input.rules,
        createdAt: input.at,
        createdBy: input.by,
        ...(input.note ? { note: input.note } : {}),
      };
      const audit = auditPut(table, stored);
      try {
        await db.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: table,
                  Item: { ...releaseKeys.rulesVersion(stored.version), entity: 'RoutingRules', ...stored },
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
              {
                Put: {
                  TableName: table,
                  Item: { ...releaseKeys.rulesActive, entity: 'RoutingRulesActive', version: stored.version },
                  ConditionExpression: current === 0 ? 'attribute_not_exists(pk)' : 'version = :current',
                  ...(current === 0 ? {} : { ExpressionAttributeValues: { ':current': current } }),
                },
              },
              ...(audit ? [audit] : []),
            ],
          }),
        );
        auditCommitted(audit);
      } catch (error) {
        const reasons = cancellationReasons(error);
        if (reasons) auditCancelled(audit, reasons);
        if (reasons?.some((r) => r.Code === 'ConditionalCheckFailed')) {
          throw new Conflict(
            'RULES_VERSION_CHANGED',
            'Another rule set was saved meanwhile; reload and retry',
          );
        }
        throw error;
      }
      cached = { at: Date.now(), value: stored };
      return stored;
    },
    async versions(limit: number): Promise<StoredRuleSet[]> {
      const out = await db.send(
        new QueryCommand({
          TableName: table,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :v)',
          ExpressionAttributeValues: { ':pk': releaseKeys.rulesPartition, ':v': 'VERSION#' },
          ScanIndexForward: false,
          Limit: limit,
        }),
      );
      return (out.Items ?? []).map((i) => withoutKeys(i) as unknown as StoredRuleSet);
    },
  };
}
