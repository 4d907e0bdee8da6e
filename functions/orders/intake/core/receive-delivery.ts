import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { FieldIssue } from '#shared/errors';
import type { EventPublisher } from '#shared/events';
import { toFieldIssues } from '#shared/validation';
import type { OrderEventType } from '../../core/order-events.ts';
import { IntakeFailure } from '../../errors.ts';
import { exceptionIdFor, orderIdFor } from '../../keys.ts';
import { type CanonicalLine, canonicalOrder, type StoredOrder } from '../../schemas/canonical-order.ts';
import type { Channel, ChannelType } from '../schemas/channel.ts';
import type { IntakeException, IntakeStore, OrderOutcome } from './intake-records.ts';
import { assertLineBounds } from './normalize/draft.ts';
import { type DraftOrder, NORMALIZERS } from './normalize/index.ts';
import { type ListingLookup, resolveLines, type SkuCatalog } from './resolve-lines.ts';

/** Intake publishes nothing itself: events leave through the table-stream outbox (order-events.ts). */
export interface IntakePorts {
  store: IntakeStore;
  catalog: SkuCatalog;
  listings: ListingLookup;
  clock: () => Date;
  /** Channel returns and refunds go to the returns context on the bus (receive-return.ts). */
  returnEvents?: EventPublisher;
}

/** One verified message from a sender. */
export interface Delivery {
  source: ChannelType;
  /** Undefined when the channel could not be resolved (an Amazon seller with no channel yet). */
  channel: Channel | undefined;
  channelKey: string;
  /** The sender's delivery id (webhook id, NotificationId, Idempotency-Key), or a body hash. */
  deliveryId: string;
  topic?: string;
  rawBody: string;
  receivedAt: string;
}

export type IntakeOutcome =
  | { kind: OrderOutcome; orderId: string; status: string }
  | { kind: 'ignored'; reason: string; orderId?: string }
  /** A channel return or refund, handed to the returns context (ChannelReturnRequested / ChannelRefundCreated). */
  | { kind: 'forwarded'; orderId: string; to: 'returns' }
  | { kind: 'exception'; exceptionId: string; code: string; message: string; issues: FieldIssue[] };

export interface IntakeResult {
  outcome: IntakeOutcome;
  /** True when this delivery was taken before: the outcome is the one it had then. */
  duplicate: boolean;
}

const MAX_ATTEMPTS = 6;

/**
 * Takes one verified delivery, exactly once.
 * 1. normalize the raw body (pure) and check its lines' bounds — a failure becomes an intake exception
 * 2. resolve the lines (catalog, listings; cached when found); a full snapshot is first tried
 *    as a new order without reading, a partial one reads the order (consistent)
 * 3. delivery already recorded on the order → answer as then; no order → create; order as new
 *    or newer by the sender's clock → ignore; older → update (cancel when the channel cancelled)
 * 4. one conditional write on the order item records the change, the delivery id and the event
 *    it owes (`lastEvent`, published from the table stream); a lost race uses what the failed
 *    write returned, or reads again
 * Deliveries that change nothing (stale, not an order) are idempotent without a record.
 */
export async function receiveDelivery(
  ports: IntakePorts,
  delivery: Delivery,
  ctx: { correlationId: string; replay?: IntakeException },
): Promise<IntakeResult> {
  const now = () => ports.clock().toISOString();
  const fail = (failure: IntakeFailure) => recordFailure(ports, delivery, failure, ctx, now());
  /** A replay settles its exception with whatever the delivery turned out to be. */
  const settle = async (result: IntakeResult): Promise<IntakeResult> => {
    if (ctx.replay && result.outcome.kind !== 'exception') {
      const o = result.outcome;
      await ports.store.resolveException(
        ctx.replay.exceptionId,
        o.kind === 'ignored'
          ? { outcome: 'ignored', reason: o.reason, ...(o.orderId ? { orderId: o.orderId } : {}) }
          : { outcome: o.kind, orderId: o.orderId },
        now(),
      );
    }
    return result;
  };
  const ignored = (reason: string, orderId?: string) =>
    settle({ outcome: { kind: 'ignored', reason, ...(orderId ? { orderId } : {}) }, duplicate: false });

  // 1. normalize
  let draft: DraftOrder;
  try {
    if (!delivery.channel) {
      throw new IntakeFailure(
        'UNKNOWN_CHANNEL',
        `No ${delivery.source} channel matches ${delivery.channelKey}`,
      );
    }
    const normalized = NORMALIZERS[delivery.source]({
      channelId: delivery.channel.channelId,
      channelType: delivery.source,
      rawBody: delivery.rawBody,
      ...(delivery.topic ? { topic: delivery.topic } : {}),
      receivedAt: delivery.receivedAt,
    });
    if (normalized.kind === 'ignore') return ignored(normalized.reason);
    draft = normalized.draft;
    assertLineBounds(draft.lines);
  } catch (error) {
    if (error instanceof IntakeFailure) return fail(error);
    throw error;
  }

  const orderId = orderIdFor(delivery.channel.channelId, draft.externalId);
  const channelId = delivery.channel.channelId;
  let resolution: Promise<CanonicalLine[] | IntakeFailure> | undefined;
  const resolve = () => {
    resolution ??= draft.lines
      ? resolveLines(ports, channelId, draft.lines).catch((e: unknown) => {
          if (e instanceof IntakeFailure) return e;
          throw e;
        })
      : Promise.resolve(
          new IntakeFailure('MISSING_LINES', 'The message has no order lines and the order is not known yet'),
        );
    return resolution;
  };
  // A full snapshot needs its lines in any case: look them up in the same round trip as the order.
  if (!draft.partial) void resolve();

  // A full snapshot with lines is most often a new order: try to create it without reading
  // first; a conflict hands back the order that exists. Anything that would not create an order
  // (a status notification, a cancellation, a snapshot without lines) reads first.
  let known: { order: StoredOrder | undefined } | undefined =
    draft.partial || draft.cancelled || !draft.lines?.length ? undefined : { order: undefined };
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    // 2. read (unless a failed write just told us what is there)
    const existing = known ? known.order : await ports.store.loadOrder(orderId);
    known = undefined;

    // 3. decide, 4. write
    const seen = existing?.deliveries?.[delivery.deliveryId];
    if (existing && seen) {
      return settle({ outcome: { kind: seen, orderId, status: existing.status }, duplicate: true });
    }
    let written: 'ok' | 'conflict';
    let kind: OrderOutcome;
    let status: string;
    if (!existing) {
      // Nothing was reserved for an order we never had: nothing to take, nothing to release.
      if (draft.cancelled) return ignored('cancelled before it was seen');
      const lines = await resolve();
      if (lines instanceof IntakeFailure) return fail(lines);
      let order: StoredOrder;
      try {
        order = newOrder(draft, orderId, lines, now(), delivery.deliveryId, ctx.correlationId);
      } catch (error) {
        if (error instanceof IntakeFailure) return fail(error);
        throw error;
      }
      kind = 'created';
      status = order.status;
      const created = await ports.store.createOrder(order);
      if (!created.ok && created.existing) known = { order: created.existing };
      written = created.ok ? 'ok' : 'conflict';
    } else if (draft.sourceUpdatedAt <= existing.sourceUpdatedAt) {
      return ignored('stale', orderId);
    } else {
      let lines: CanonicalLine[] | undefined;
      // A cancellation keeps the order's lines, so a line that no longer maps cannot block it.
      if (!draft.partial && !draft.cancelled) {
        const resolved = await resolve();
        if (resolved instanceof IntakeFailure) return fail(resolved);
        lines = resolved;
      }
      const plan = planUpdate(existing, draft, lines, now(), (type, changed) =>
        newEvent(type, now(), ctx.correlationId, changed),
      );
      kind = plan.kind;
      status = plan.set.status ?? existing.status;
      written = await ports.store.updateOrder(orderId, plan.set, existing.sourceUpdatedAt, {
        id: delivery.deliveryId,
        outcome: kind,
      });
    }
    if (written === 'conflict') continue;
    return settle({ outcome: { kind, orderId, status }, duplicate: false });
  }
  throw new Error(`Order ${orderId} kept changing under intake; giving up after ${MAX_ATTEMPTS} attempts`);
}

export async function recordFailure(
  ports: { store: Pick<IntakeStore, 'createException' | 'recordReplayFailure'> },
  delivery: Delivery,
  failure: IntakeFailure,
  ctx: { replay?: IntakeException },
  at: string,
): Promise<IntakeResult> {
  const reason = { code: failure.code, message: failure.message, issues: failure.issues };
  if (ctx.replay) {
    await ports.store.recordReplayFailure(ctx.replay.exceptionId, reason, at);
    return {
      outcome: { kind: 'exception', exceptionId: ctx.replay.exceptionId, ...reason },
      duplicate: false,
    };
  }
  const exception: IntakeException = {
    exceptionId: exceptionIdFor(delivery.channelKey, delivery.deliveryId),
    source: delivery.source,
    ...(delivery.channel ? { channelId: delivery.channel.channelId } : {}),
    channelKey: delivery.channelKey,
    deliveryId: delivery.deliveryId,
    ...(delivery.topic ? { topic: delivery.topic } : {}),
    status: 'open',
    ...reason,
    rawBody: delivery.rawBody,
    receivedAt: delivery.receivedAt,
    attempts: 1,
    lastAttemptAt: at,
  };
  const written = await ports.store.createException(exception);
  if (written.created) {
    return {
      outcome: { kind: 'exception', exceptionId: exception.exceptionId, ...reason },
      duplicate: false,
    };
  }
  // The same delivery failed before: one exception, answered the same way.
  const existing = written.existing;
  if (existing.status === 'resolved' && existing.resolution) {
    const r = existing.resolution;
    return {
      outcome:
        r.outcome === 'ignored'
          ? { kind: 'ignored', reason: r.reason ?? 'ignored', ...(r.orderId ? { orderId: r.orderId } : {}) }
          : r.outcome === 'forwarded'
            ? { kind: 'forwarded', orderId: r.orderId ?? '', to: 'returns' }
            : { kind: r.outcome, orderId: r.orderId ?? '', status: 'received' },
      duplicate: true,
    };
  }
  return {
    outcome: {
      kind: 'exception',
      exceptionId: existing.exceptionId,
      code: existing.code,
      message: existing.message,
      issues: existing.issues,
    },
    duplicate: true,
  };
}

function newEvent(
  detailType: OrderEventType,
  at: string,
  correlationId: string,
  changed?: string[],
): NonNullable<StoredOrder['lastEvent']> {
  return {
    eventId: randomUUID(),
    detailType,
    occurredAt: at,
    correlationId,
    ...(changed ? { changed } : {}),
  };
}

/** Builds and validates the canonical order; a draft that does not fit becomes INVALID_PAYLOAD. */
function newOrder(
  draft: DraftOrder,
  orderId: string,
  lines: CanonicalLine[],
  at: string,
  deliveryId: string,
  correlationId: string,
): StoredOrder {
  const { partial: _partial, lines: _draftLines, ...rest } = draft;
  const parsed = canonicalOrder.safeParse({ ...rest, lines });
  if (!parsed.success) {
    const issues = toFieldIssues(parsed.error);
    throw new IntakeFailure(
      'INVALID_PAYLOAD',
      `The order does not fit the canonical schema: ${issues.map((i) => i.field).join(', ')}`,
      issues,
    );
  }
  return {
    ...parsed.data,
    orderId,
    status: 'received',
    receivedAt: at,
    updatedAt: at,
    deliveries: { [deliveryId]: 'created' },
    lastEvent: newEvent('OrderReceived', at, correlationId),
  };
}

/** Fields a full snapshot replaces; a partial one (status notification) only moves status fields. */
const SNAPSHOT_FIELDS = [
  'externalNumber',
  'currency',
  'discounts',
  'shippingPrice',
  'taxTotal',
  'total',
  'taxIncluded',
  'shipTo',
  'serviceLevel',
  'shippingMethod',
  'customerRef',
  'allowSubstitutes',
  'detailsPending',
] as const satisfies readonly (keyof DraftOrder & keyof StoredOrder)[];

/**
 * What a newer snapshot changes. Cancellation is one-way for intake: a cancelled order is
 * never revived by a later message, and a change to a cancelled order owes no event.
 */
export function planUpdate(
  existing: StoredOrder,
  draft: DraftOrder,
  lines: CanonicalLine[] | undefined,
  at: string,
  eventOf: (type: OrderEventType, changed?: string[]) => NonNullable<StoredOrder['lastEvent']>,
): { set: Partial<StoredOrder>; kind: 'updated' | 'cancelled'; changed: string[] } {
  const set: Partial<StoredOrder> = { sourceUpdatedAt: draft.sourceUpdatedAt, updatedAt: at };
  const changed: string[] = [];
  const assign = <K extends keyof StoredOrder>(key: K, value: StoredOrder[K]) => {
    if (!isDeepStrictEqual(existing[key], value)) changed.push(key);
    set[key] = value;
  };
  // A cancelling snapshot keeps the lines the order had: they are what was reserved, and what
  // OrderCancelled must name for release (Shopify zeroes `current_quantity` on cancel).
  if (!draft.partial && lines && !draft.cancelled) assign('lines', lines);
  if (!draft.partial) for (const field of SNAPSHOT_FIELDS) assign(field, draft[field] as never);
  if (!draft.partial || draft.paymentStatus !== 'unknown') assign('paymentStatus', draft.paymentStatus);
  if (draft.channelStatus !== undefined) assign('channelStatus', draft.channelStatus);

  if (draft.cancelled && !existing.cancelled) {
    set.status = 'cancelled';
    set.cancelled = true;
    set.cancelledAt = draft.cancelledAt ?? draft.sourceUpdatedAt;
    if (draft.cancelReason) set.cancelReason = draft.cancelReason;
    set.lastEvent = eventOf('OrderCancelled');
    return { set, kind: 'cancelled', changed: [...changed, 'status'] };
  }
  if (!existing.cancelled && changed.length > 0) set.lastEvent = eventOf('OrderUpdated', changed);
  return { set, kind: 'updated', changed };
}
