import { createHash } from 'node:crypto';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '#shared/clients';
import { ValidationFailed } from '#shared/errors';
import { tableName, withoutKeys } from '#shared/table';
import { type BacklogOrder, CLOSED_STATUSES } from '../core/backlog.ts';
import { allocatedTo, ORDER_STATUSES, type OrderStatusName, type SummarySource } from '../core/order-view.ts';
import { orderIdFor, ordersKeys } from '../keys.ts';
import type { StoredOrder } from '../schemas/canonical-order.ts';

/** What `GET /api/orders` filters by; every field is optional. */
export interface OrderListing {
  status?: OrderStatusName;
  /** Several statuses merged (a queue like "at risk"); `status` wins when both are given. */
  statuses?: readonly OrderStatusName[];
  /** A named queue whose `to` moves with the clock: its cursors belong to the queue, not to one `to`. */
  queue?: 'at_risk';
  channelId?: string;
  /** Orders with a shipment (a reservation) at this location. */
  locationId?: string;
  /** Inclusive bounds on `placedAt`, as `Date#toISOString()` writes them (as intake stores it). */
  from?: string;
  to?: string;
}

/** How much one listing request may read; tests make it tiny to exercise the early stops. */
interface ListingBounds {
  /**
   * Queries per request, at most. A page stops early (with a cursor, possibly with fewer items
   * than asked for) when the filters match little of what the partitions hold; following the
   * cursor carries on from where it stopped.
   */
  maxQueries: number;
  /** Items one query evaluates when filters apply (DynamoDB counts before filtering). */
  filteredChunk: number;
  /** Items one query evaluates without filters; default: the page size + 1. */
  chunk?: number;
  /** Pages (up to 1 MB each) one count or backlog read takes per status before it says truncated. */
  maxCountPages?: number;
}
const BOUNDS: ListingBounds = { maxQueries: 24, filteredChunk: 100, maxCountPages: 50 };

/** Released to a node but not shipped yet: what goes late when it sits (the "at risk" queue). */
export const AT_RISK_STATUSES: readonly OrderStatusName[] = ['released', 'picking', 'packed'];

/** `GET /api/orders/counts`: orders per status queue, and the oldest in each. */
export interface OrderCounts {
  counts: Record<OrderStatusName, number>;
  /** `placedAt` of the oldest order in each status that has any. */
  oldest: Partial<Record<OrderStatusName, string>>;
  /** Open orders (AT_RISK_STATUSES) placed before the threshold. */
  atRisk: number;
  /** A partition had more than the read bound: its count is a lower bound. */
  truncated: boolean;
}

/** The orders a backlog replays: every open one, and the closed ones placed since the lookback. */
export interface BacklogOrders {
  orders: BacklogOrder[];
  truncated: boolean;
}
/** Every gsi2 sort key is `<placedAt>#<orderId>`, placedAt a year-first ISO instant. */
const LOWEST = '0';
const HIGHEST = '~';

/** A partition's place in the cursor: the last sort key consumed, or 0 once it is exhausted. */
type Mark = string | 0;
interface Cursor {
  /** Fingerprint of the filters the cursor was made for. */
  f: string;
  /** Per status partition; a status missing has not been read yet (starts at the newest). */
  p: Partial<Record<OrderStatusName, Mark>>;
}

type Item = Record<string, unknown> & { gsi2sk: string; orderId: string };

interface Lane {
  status: OrderStatusName;
  /** The next query reads below this sort key (exclusive); undefined: from the top. */
  next: string | undefined;
  /** No more items below `next`. */
  drained: boolean;
  /** Matching items read but not yet returned, newest first. */
  buffer: Item[];
  /** What the cursor will say for this partition. */
  mark: Mark | undefined;
}

const PROJECTED = [
  'orderId',
  'channelId',
  'externalId',
  'externalNumber',
  'status',
  'placedAt',
  'lines',
  'holds',
  'shipments',
  'gsi2sk',
] as const;

const fingerprint = (f: OrderListing) =>
  createHash('sha256')
    .update(
      JSON.stringify([
        f.status ?? f.statuses?.join(',') ?? '*',
        f.channelId ?? '',
        f.locationId ?? '',
        f.from ?? '',
        f.queue ?? f.to ?? '',
      ]),
    )
    .digest('base64url')
    .slice(0, 12);

/** A position is a gsi2 sort key, `<placedAt>#<orderId>`; the order's own keys complete it. */
const POSITION = /^[0-9][0-9A-Za-z:.+-]{0,63}#[A-Za-z0-9_-]{1,64}$/;

const badCursor = (message: string) =>
  new ValidationFailed(`Invalid query: cursor`, [{ field: 'query.cursor', message }]);

function decode(cursor: string, expected: string): Cursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw badCursor('not a cursor from this listing');
  }
  const c = parsed as Partial<Cursor> | null;
  const statuses: readonly string[] = ORDER_STATUSES;
  if (
    !c ||
    typeof c !== 'object' ||
    typeof c.f !== 'string' ||
    !c.p ||
    typeof c.p !== 'object' ||
    Object.entries(c.p).some(
      ([s, m]) => !statuses.includes(s) || (m !== 0 && !(typeof m === 'string' && POSITION.test(m))),
    )
  ) {
    throw badCursor('not a cursor from this listing');
  }
  if (c.f !== expected) throw badCursor('the cursor belongs to a listing with other filters');
  return c as Cursor;
}

/** The index key of the item at a position, for `ExclusiveStartKey` (it need not still exist). */
const startAfter = (status: OrderStatusName, position: string) => ({
  gsi2pk: ordersKeys.ordersWithStatus(status),
  gsi2sk: position,
  ...ordersKeys.order(position.slice(position.indexOf('#') + 1)),
});

const encode = (c: Cursor) => Buffer.from(JSON.stringify(c)).toString('base64url');

/** Read side of orders. `(channelId, externalId)` is a point read: the orderId is derived from it. */
export function dynamoOrderQueries(table = tableName(), bounds: ListingBounds = BOUNDS) {
  const db = documentClient();
  const get = async (orderId: string): Promise<StoredOrder | undefined> => {
    const out = await db.send(
      new GetCommand({ TableName: table, Key: ordersKeys.order(orderId), ConsistentRead: true }),
    );
    return out.Item ? (withoutKeys(out.Item) as unknown as StoredOrder) : undefined;
  };

  /**
   * Orders newest first (by `placedAt`), from the per-status partitions of gsi2. With a status
   * it is one partition read backwards; without, a k-way merge of all of them: each partition
   * is read in chunks only when its newest unread item is needed, and the cursor keeps each
   * partition's position, so every order is returned once however the pages fall. `from`/`to`
   * bound the sort key; the channel is a filter expression, the location a check of the
   * shipments (a map DynamoDB cannot filter on by value). GSI reads are eventually consistent:
   * an order that has just changed status may show in its old queue for a moment.
   */
  async function list(
    filter: OrderListing,
    limit: number,
    cursor?: string,
  ): Promise<{ items: SummarySource[]; cursor?: string }> {
    const f = fingerprint(filter);
    const start = cursor ? decode(cursor, f).p : {};
    const lo = filter.from ?? LOWEST;
    const top = filter.to ? `${filter.to}$` : HIGHEST; // '$' sorts after the '#' that follows placedAt
    const filtered = Boolean(filter.channelId || filter.locationId);
    const chunk = bounds.chunk ?? (filtered ? bounds.filteredChunk : Math.min(100, limit + 1));
    const lanes: Lane[] = (filter.status ? [filter.status] : (filter.statuses ?? ORDER_STATUSES)).map(
      (status) => {
        const mark = start[status];
        return {
          status,
          next: typeof mark === 'string' ? mark : undefined,
          drained: mark === 0,
          buffer: [],
          mark,
        };
      },
    );

    const names: Record<string, string> = { '#pk': 'gsi2pk', '#sk': 'gsi2sk' };
    PROJECTED.forEach((a, i) => {
      names[`#p${i}`] = a;
    });
    if (filter.channelId) names['#channel'] = 'channelId';
    let queries = 0;

    const fill = async (lane: Lane) => {
      // Below the position (exclusive: DynamoDB starts after it), within from/to.
      const after = lane.next !== undefined && lane.next <= top ? lane.next : undefined;
      const hi = after ?? top;
      if (hi < lo) {
        lane.drained = true;
      } else {
        queries += 1;
        const out = await db.send(
          new QueryCommand({
            TableName: table,
            IndexName: 'gsi2',
            KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :lo AND :hi',
            ...(filter.channelId ? { FilterExpression: '#channel = :channel' } : {}),
            ProjectionExpression: PROJECTED.map((_, i) => `#p${i}`).join(', '),
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: {
              ':pk': ordersKeys.ordersWithStatus(lane.status),
              ':lo': lo,
              ':hi': hi,
              ...(filter.channelId ? { ':channel': filter.channelId } : {}),
            },
            ScanIndexForward: false,
            Limit: chunk,
            ...(after ? { ExclusiveStartKey: startAfter(lane.status, after) } : {}),
          }),
        );
        for (const raw of (out.Items ?? []) as Item[]) {
          if (raw.gsi2sk === after) continue; // consumed already (never returned after the start key)
          if (filter.locationId && !allocatedTo(raw as unknown as SummarySource, filter.locationId)) continue;
          lane.buffer.push(raw);
        }
        const last = out.LastEvaluatedKey?.gsi2sk;
        if (typeof last === 'string') lane.next = last;
        else lane.drained = true;
      }
      // Nothing waiting: everything evaluated so far is consumed (returned or filtered out).
      if (lane.buffer.length === 0) lane.mark = lane.drained ? 0 : lane.next;
    };

    const items: SummarySource[] = [];
    const seen = new Set<string>();
    while (items.length < limit) {
      const empty = lanes.filter((l) => l.buffer.length === 0 && !l.drained);
      if (empty.length > 0) {
        // A partition's newest unread item is unknown: read it before choosing (bounded).
        if (queries + empty.length > Math.max(bounds.maxQueries, lanes.length)) break;
        await Promise.all(empty.map(fill));
        continue;
      }
      let best: Lane | undefined;
      for (const lane of lanes) {
        const head = lane.buffer[0];
        if (head && (!best || head.gsi2sk > (best.buffer[0] as Item).gsi2sk)) best = lane;
      }
      if (!best) break;
      const item = best.buffer.shift() as Item;
      best.mark = best.buffer.length > 0 ? item.gsi2sk : best.drained ? 0 : best.next;
      // While the index catches up with a status change, an order can sit in two partitions.
      if (seen.has(item.orderId)) continue;
      seen.add(item.orderId);
      items.push(withoutKeys(item) as unknown as SummarySource);
    }

    const done = lanes.every((l) => l.mark === 0);
    const positions = Object.fromEntries(
      lanes.filter((l) => l.mark !== undefined).map((l) => [l.status, l.mark]),
    ) as Cursor['p'];
    return { items, ...(done ? {} : { cursor: encode({ f, p: positions }) }) };
  }

  /**
   * Every item of one status partition with `placedAt` in [lo, hi), oldest first, page by page
   * (the callback sees each page). Only the sort key, and the shipments when a location filters.
   */
  async function eachPage(
    status: OrderStatusName,
    range: { lo?: string; hi?: string; withShipments?: boolean; withHistory?: boolean; select?: 'COUNT' },
    onPage: (items: Item[], count: number) => void,
  ): Promise<{ truncated: boolean }> {
    let start: Record<string, unknown> | undefined;
    for (let page = 0; page < (bounds.maxCountPages ?? 50); page++) {
      const out = await db.send(
        new QueryCommand({
          TableName: table,
          IndexName: 'gsi2',
          KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :lo AND :hi',
          ExpressionAttributeNames: {
            '#pk': 'gsi2pk',
            '#sk': 'gsi2sk',
            ...(range.select
              ? {}
              : {
                  '#id': 'orderId',
                  ...(range.withShipments ? { '#sh': 'shipments' } : {}),
                  ...(range.withHistory ? { '#hi': 'statusHistory' } : {}),
                }),
          },
          ExpressionAttributeValues: {
            ':pk': ordersKeys.ordersWithStatus(status),
            ':lo': range.lo ?? LOWEST,
            // Sort keys are `<placedAt>#<orderId>`: a bound instant excludes its own orders.
            ':hi': range.hi ?? HIGHEST,
          },
          ...(range.select
            ? { Select: 'COUNT' }
            : {
                ProjectionExpression: ['#sk', '#id', range.withShipments && '#sh', range.withHistory && '#hi']
                  .filter(Boolean)
                  .join(', '),
              }),
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      onPage((out.Items ?? []) as Item[], out.Count ?? 0);
      start = out.LastEvaluatedKey;
      if (!start) return { truncated: false };
    }
    return { truncated: true };
  }

  const placedAtOf = (sk: string) => sk.slice(0, sk.indexOf('#'));

  /**
   * How many orders each status partition holds (Select COUNT, paged), the `placedAt` of the
   * oldest, and how many open orders (released, picking, packed) were placed before `atRiskBefore`.
   * With a location only the orders allocated there count, which needs their shipments read.
   */
  async function counts(filter: { locationId?: string; atRiskBefore: string }): Promise<OrderCounts> {
    const result: OrderCounts = {
      counts: Object.fromEntries(ORDER_STATUSES.map((s) => [s, 0])) as Record<OrderStatusName, number>,
      oldest: {},
      atRisk: 0,
      truncated: false,
    };
    const location = filter.locationId;
    await Promise.all(
      ORDER_STATUSES.map(async (status) => {
        const risky = AT_RISK_STATUSES.includes(status);
        const read = await eachPage(
          status,
          location ? { withShipments: true } : { select: 'COUNT' },
          (items, count) => {
            if (!location) {
              result.counts[status] += count;
              return;
            }
            for (const item of items) {
              if (!allocatedTo(item as unknown as SummarySource, location)) continue;
              result.counts[status] += 1;
              const placedAt = placedAtOf(item.gsi2sk);
              if (!result.oldest[status]) result.oldest[status] = placedAt;
              if (risky && placedAt < filter.atRiskBefore) result.atRisk += 1;
            }
          },
        );
        if (read.truncated) result.truncated = true;
        if (location) return;
        const [oldest] = await firstItems(status);
        if (oldest) result.oldest[status] = placedAtOf(oldest.gsi2sk);
        if (risky && oldest && placedAtOf(oldest.gsi2sk) < filter.atRiskBefore) {
          const late = await eachPage(status, { hi: filter.atRiskBefore, select: 'COUNT' }, (_, n) => {
            result.atRisk += n;
          });
          if (late.truncated) result.truncated = true;
        }
      }),
    );
    return result;
  }

  async function firstItems(status: OrderStatusName): Promise<Item[]> {
    const out = await db.send(
      new QueryCommand({
        TableName: table,
        IndexName: 'gsi2',
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': 'gsi2pk', '#sk': 'gsi2sk' },
        ExpressionAttributeValues: { ':pk': ordersKeys.ordersWithStatus(status) },
        ProjectionExpression: '#sk',
        ScanIndexForward: true,
        Limit: 1,
      }),
    );
    return (out.Items ?? []) as Item[];
  }

  /**
   * What the backlog chart replays (see core/backlog.ts): every order in an open status, whenever
   * placed, and the shipped or cancelled ones placed on or after `closedSince` (an order closed
   * within the window but placed before that is not seen). One partition read per status, with
   * each order's status history.
   */
  async function backlogOrders(closedSince: string): Promise<BacklogOrders> {
    const orders: BacklogOrder[] = [];
    let truncated = false;
    await Promise.all(
      ORDER_STATUSES.map(async (status) => {
        const closed = CLOSED_STATUSES.includes(status);
        const read = await eachPage(
          status,
          { withHistory: true, ...(closed ? { lo: closedSince } : {}) },
          (items) => {
            for (const item of items) {
              orders.push({
                placedAt: placedAtOf(item.gsi2sk),
                status,
                ...(Array.isArray(item.statusHistory)
                  ? { statusHistory: item.statusHistory as BacklogOrder['statusHistory'] }
                  : {}),
              });
            }
          },
        );
        if (read.truncated) truncated = true;
      }),
    );
    return { orders, truncated };
  }

  return {
    get,
    byExternalId: (channelId: string, externalId: string) => get(orderIdFor(channelId, externalId)),
    list,
    counts,
    backlogOrders,
  };
}
