import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { writeAudited } from '#shared/audit';
import { getItem } from '#shared/queries';
import { withoutKeys } from '#shared/table';
import { type Alert, type AlertSettings, type AlertStore, DEFAULT_ALERT_SETTINGS } from '../core/alerts.ts';
import { oversightKeys as keys } from '../keys.ts';

const conditionFailed = (error: unknown) =>
  error instanceof ConditionalCheckFailedException ||
  (error as Error).name === 'ConditionalCheckFailedException';

const toAlert = (item: Record<string, unknown> | undefined): Alert | undefined =>
  item ? (withoutKeys(item) as unknown as Omit<Alert, 'entity'> & { entity?: string }) : undefined;

const strip = (a: Alert | undefined): Alert | undefined => {
  if (!a) return undefined;
  const { entity: _e, ...rest } = a as Alert & { entity?: string };
  return rest;
};

/** Alerts and their settings in the single table. */
export function dynamoAlertStore(db: DynamoDBDocumentClient, table: string): AlertStore {
  return {
    async raise(alert) {
      try {
        const out = await db.send(
          new UpdateCommand({
            TableName: table,
            Key: keys.alert(alert.alertId),
            UpdateExpression:
              'SET entity = :e, alertId = :id, #key = :key, #type = :type, subject = :subject, locationId = :loc, message = :msg, link = :link, detail = :detail, #status = :open, raisedAt = :at, causeAt = :cause, gsi1pk = :gpk, gsi1sk = :gsk REMOVE clearedAt, acknowledgedBy, acknowledgedAt',
            // Opens a new alert, or reopens a cleared one whose clearing cause is older than this one.
            ConditionExpression: 'attribute_not_exists(pk) OR (#status = :cleared AND causeAt < :cause)',
            ExpressionAttributeNames: { '#key': 'key', '#type': 'type', '#status': 'status' },
            ExpressionAttributeValues: {
              ':e': 'Alert',
              ':id': alert.alertId,
              ':key': alert.key,
              ':type': alert.type,
              ':subject': alert.subject,
              ':loc': alert.locationId,
              ':msg': alert.message,
              ':link': alert.link,
              ':detail': alert.detail ?? {},
              ':open': 'open',
              ':cleared': 'cleared',
              ':at': alert.raisedAt,
              ':cause': alert.causeAt,
              ':gpk': keys.alertsWithStatus('open'),
              ':gsk': `${alert.raisedAt}#${alert.alertId}`,
            },
            ReturnValues: 'ALL_NEW',
          }),
        );
        return strip(toAlert(out.Attributes));
      } catch (error) {
        if (conditionFailed(error)) return undefined;
        throw error;
      }
    },

    async close(alertId, clearedAt, causeAt) {
      try {
        const out = await db.send(
          new UpdateCommand({
            TableName: table,
            Key: keys.alert(alertId),
            UpdateExpression:
              'SET #status = :cleared, clearedAt = :at, causeAt = :cause, gsi1pk = :gpk, gsi1sk = :gsk',
            ConditionExpression: '#status = :open AND causeAt <= :cause',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':open': 'open',
              ':cleared': 'cleared',
              ':at': clearedAt,
              ':cause': causeAt,
              ':gpk': keys.alertsWithStatus('cleared'),
              ':gsk': `${clearedAt}#${alertId}`,
            },
            ReturnValues: 'ALL_NEW',
          }),
        );
        return strip(toAlert(out.Attributes));
      } catch (error) {
        if (conditionFailed(error)) return undefined;
        throw error;
      }
    },

    get: async (alertId) => strip(await getItem<Alert>(db, table, keys.alert(alertId))),

    async list(status, limit) {
      const out = await db.send(
        new QueryCommand({
          TableName: table,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :pk',
          ExpressionAttributeValues: { ':pk': keys.alertsWithStatus(status) },
          ScanIndexForward: false,
          Limit: limit,
        }),
      );
      return (out.Items ?? []).map((i) => strip(toAlert(i)) as Alert);
    },

    async acknowledge(alertId, by, at) {
      try {
        await writeAudited(db, {
          Update: {
            TableName: table,
            Key: keys.alert(alertId),
            UpdateExpression: 'SET acknowledgedBy = :by, acknowledgedAt = :at',
            ConditionExpression: '#status = :open',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':by': by, ':at': at, ':open': 'open' },
          },
        });
      } catch (error) {
        if (conditionFailed(error)) return undefined;
        throw error;
      }
      return strip(await getItem<Alert>(db, table, keys.alert(alertId)));
    },

    async settings() {
      const stored = await getItem<Partial<AlertSettings>>(db, table, keys.settings);
      const { entity: _e, ...rest } = (stored ?? {}) as Partial<AlertSettings> & { entity?: string };
      return { ...DEFAULT_ALERT_SETTINGS, ...rest };
    },

    async putSettings(settings) {
      await writeAudited(db, {
        Put: { TableName: table, Item: { ...keys.settings, entity: 'AlertSettings', ...settings } },
      });
    },
  };
}
