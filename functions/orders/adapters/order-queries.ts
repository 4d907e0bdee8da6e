import { createHash } from 'node:crypto';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '#shared/clients';
import { ValidationFailed } from '#shared/errors';
import { tableName, withoutKeys } from '#shared/table';
import { allocatedTo, ORDER_STATUSES, type OrderStatusName, type SummarySource } from '../core/order-view.ts';
import { orderIdFor, ordersKeys } from '../keys.ts';
import type { StoredOrder } from '../schemas/canonical-order.ts';

/** What `GET /api/orders` filters by; every field is optional. */
export interface OrderListing {
  status?: OrderStatusName;
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
}
const BOUNDS: ListingBounds = { maxQueries: 24, filteredChunk: 100 };
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
      JSON.stringify([f.status ?? '*', f.channelId ?? '', f.locationId ?? '', f.from ?? '', f.to ?? '']),
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
    const lanes: Lane[] = (filter.status ? [filter.status] : ORDER_STATUSES).map((status) => {
      const mark = start[status];
      return {
        status,
        next: typeof mark === 'string' ? mark : undefined,
        drained: mark === 0,
        buffer: [],
        mark,
      };
    });

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

  return {
    get,
    byExternalId: (channelId: string, externalId: string) => get(orderIdFor(channelId, externalId)),
    list,
  };
}
