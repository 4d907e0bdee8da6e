import {
  type DynamoDBDocumentClient,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { cancellationReasons } from '#shared/audit';
import { getItem, queryAll } from '#shared/queries';
import type { Cost, CounterAdd, DayCounters, KpiChange, KpiPorts, OrderFacts } from '../core/kpis.ts';
import { oversightKeys as keys } from '../keys.ts';

/** Counters are stored as `k_<name>` attributes of the day item, so any counter name fits. */
const COUNTER_PREFIX = 'k_';
/** How long an event's marker is kept: longer than any redelivery (bus retries, archive replays of a month). */
const SEEN_TTL_SECONDS = 35 * 86_400;

type TransactItem = NonNullable<
  ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']
>[number];

export interface DayItem {
  locationId: string;
  date: string;
  counters: DayCounters;
}

const toDay = (item: Record<string, unknown>): DayItem => ({
  locationId: String(item.locationId),
  date: String(item.date),
  counters: Object.fromEntries(
    Object.entries(item)
      .filter(([k]) => k.startsWith(COUNTER_PREFIX))
      .map(([k, v]) => [k.slice(COUNTER_PREFIX.length), Number(v)]),
  ),
});

function counterUpdate(table: string, c: CounterAdd): TransactItem {
  const names: Record<string, string> = { '#date': 'date' };
  const values: Record<string, unknown> = {
    ':e': 'KpiDay',
    ':l': c.locationId,
    ':d': c.date,
    ':g': keys.kpiDayIndex(c.locationId, c.date).gsi1pk,
    ':gs': keys.kpiDayIndex(c.locationId, c.date).gsi1sk,
  };
  const adds = Object.entries(c.add).map(([name, n], i) => {
    names[`#c${i}`] = `${COUNTER_PREFIX}${name}`;
    values[`:c${i}`] = n;
    return `#c${i} :c${i}`;
  });
  return {
    Update: {
      TableName: table,
      Key: keys.kpiDay(c.locationId, c.date),
      UpdateExpression: `SET entity = :e, locationId = :l, #date = :d, gsi1pk = :g, gsi1sk = :gs${adds.length ? ` ADD ${adds.join(', ')}` : ''}`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
}

function orderUpdate(table: string, order: NonNullable<KpiChange['order']>): TransactItem {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = { ':e': 'OversightOrder', ':o': order.orderId };
  const sets = ['entity = :e', 'orderId = :o'];
  const removes: string[] = [];
  const adds: string[] = [];
  let i = 0;
  for (const [field, value] of Object.entries(order.set)) {
    if (value === undefined) continue;
    names[`#f${i}`] = field;
    values[`:f${i}`] = value;
    sets.push(`#f${i} = :f${i}`);
    i++;
  }
  for (const field of order.remove ?? []) {
    names[`#f${i}`] = field;
    removes.push(`#f${i}`);
    i++;
  }
  for (const [field, n] of Object.entries(order.add ?? {})) {
    names[`#f${i}`] = field;
    values[`:f${i}`] = n;
    adds.push(`#f${i} :f${i}`);
    i++;
  }
  if (order.backorderIndex === 'remove') removes.push('gsi1pk', 'gsi1sk');
  else if (order.backorderIndex) {
    values[':bpk'] = keys.backorders;
    values[':bsk'] = `${order.backorderIndex.at}#${order.orderId}`;
    sets.push('gsi1pk = :bpk', 'gsi1sk = :bsk');
  }
  return {
    Update: {
      TableName: table,
      Key: keys.order(order.orderId),
      UpdateExpression: [
        `SET ${sets.join(', ')}`,
        removes.length ? `REMOVE ${removes.join(', ')}` : '',
        adds.length ? `ADD ${adds.join(', ')}` : '',
      ]
        .filter(Boolean)
        .join(' '),
      ...(Object.keys(names).length ? { ExpressionAttributeNames: names } : {}),
      ExpressionAttributeValues: values,
    },
  };
}

/** Sums the adds of the same day item: a transaction may touch an item once. */
function merged(counters: readonly CounterAdd[]): CounterAdd[] {
  const byItem = new Map<string, CounterAdd>();
  for (const c of counters) {
    const id = `${c.locationId}\n${c.date}`;
    const into = byItem.get(id) ?? { locationId: c.locationId, date: c.date, add: {} };
    for (const [k, n] of Object.entries(c.add)) into.add[k] = (into.add[k] ?? 0) + n;
    byItem.set(id, into);
  }
  return [...byItem.values()];
}

/** KPI day items, order facts and average costs in the single table. */
export function dynamoKpiStore(db: DynamoDBDocumentClient, table: string, clock = () => new Date()) {
  const ports: KpiPorts = {
    orderFacts: (orderId) => getItem<OrderFacts>(db, table, keys.order(orderId)),
    costOf: (sku, locationId) => getItem<Cost>(db, table, keys.cost(sku, locationId)),

    async apply(eventId, change) {
      const items: TransactItem[] = [
        {
          Put: {
            TableName: table,
            Item: {
              ...keys.seen(eventId),
              entity: 'OversightSeen',
              ttl: Math.floor(clock().getTime() / 1000) + SEEN_TTL_SECONDS,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        ...merged(change.counters).map((c) => counterUpdate(table, c)),
      ];
      if (change.order) items.push(orderUpdate(table, change.order));
      if (change.cost) {
        items.push({
          Update: {
            TableName: table,
            Key: keys.cost(change.cost.sku, change.cost.locationId),
            UpdateExpression: 'SET entity = :e, sku = :s, locationId = :l ADD quantity :q, valueMinor :v',
            ExpressionAttributeValues: {
              ':e': 'OversightCost',
              ':s': change.cost.sku,
              ':l': change.cost.locationId,
              ':q': change.cost.quantity,
              ':v': change.cost.valueMinor,
            },
          },
        });
      }
      try {
        await db.send(new TransactWriteCommand({ TransactItems: items }));
        return true;
      } catch (error) {
        if (cancellationReasons(error)?.[0]?.Code === 'ConditionalCheckFailed') return false;
        throw error;
      }
    },
  };

  return {
    ...ports,

    /** One location's day items from `from` to `to`. */
    async daysAt(locationId: string, from: string, to: string): Promise<DayItem[]> {
      const items: DayItem[] = [];
      let start: Record<string, unknown> | undefined;
      do {
        const out = await db.send(
          new QueryCommand({
            TableName: table,
            KeyConditionExpression: 'pk = :pk AND sk BETWEEN :a AND :b',
            ExpressionAttributeValues: {
              ':pk': keys.kpiLocation(locationId),
              ':a': keys.daySk(from),
              ':b': keys.daySk(to),
            },
            ...(start ? { ExclusiveStartKey: start } : {}),
          }),
        );
        items.push(...(out.Items ?? []).map(toDay));
        start = out.LastEvaluatedKey;
      } while (start);
      return items;
    },

    /** Every location's day items from `from` to `to` (one index partition per month). */
    async daysAll(from: string, to: string): Promise<DayItem[]> {
      const months: string[] = [];
      for (let m = from.slice(0, 7); m <= to.slice(0, 7); ) {
        months.push(m);
        const [y, mm] = m.split('-').map(Number) as [number, number];
        m = mm === 12 ? `${y + 1}-01` : `${y}-${String(mm + 1).padStart(2, '0')}`;
      }
      const items: DayItem[] = [];
      for (const month of months) {
        let start: Record<string, unknown> | undefined;
        do {
          const out = await db.send(
            new QueryCommand({
              TableName: table,
              IndexName: 'gsi1',
              KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk BETWEEN :a AND :b',
              ExpressionAttributeValues: {
                ':pk': keys.kpiMonth(month),
                ':a': `${from}#`,
                ':b': `${to}#\uffff`,
              },
              ...(start ? { ExclusiveStartKey: start } : {}),
            }),
          );
          items.push(...(out.Items ?? []).map(toDay));
          start = out.LastEvaluatedKey;
        } while (start);
      }
      return items;
    },

    /** The units on hand at a location today, as the sweep saw them last (a gauge, set not added). */
    async setOnHand(locationId: string, date: string, units: number): Promise<void> {
      await db.send(
        new UpdateCommand({
          TableName: table,
          Key: keys.kpiDay(locationId, date),
          UpdateExpression:
            'SET entity = :e, locationId = :l, #date = :d, gsi1pk = :g, gsi1sk = :gs, #onHand = :u',
          ExpressionAttributeNames: { '#date': 'date', '#onHand': `${COUNTER_PREFIX}onHandUnits` },
          ExpressionAttributeValues: {
            ':e': 'KpiDay',
            ':l': locationId,
            ':d': date,
            ':g': keys.kpiDayIndex(locationId, date).gsi1pk,
            ':gs': keys.kpiDayIndex(locationId, date).gsi1sk,
            ':u': units,
          },
        }),
      );
    },

    /** Orders with an open backorder, oldest first. */
    async openBackorders(): Promise<{ orderId: string; backorderedAt: string }[]> {
      const items = await queryAll<{ orderId?: unknown; backorderedAt?: unknown }>(db, {
        TableName: table,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.backorders },
      });
      return items.flatMap((i) =>
        typeof i.backorderedAt === 'string'
          ? [{ orderId: String(i.orderId), backorderedAt: i.backorderedAt }]
          : [],
      );
    },
  };
}

export type KpiStore = ReturnType<typeof dynamoKpiStore>;
