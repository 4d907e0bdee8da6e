import { Conflict, NotFound } from '#shared/errors';
import { OrderHeld } from '../../events/order-held.ts';
import { OrderHoldReleased } from '../../events/order-hold-released.ts';
import { OrderReleaseCancelled } from '../../events/order-release-cancelled.ts';
import type { Hold, LineState } from '../schemas.ts';
import { openHolds } from './holds.ts';
import type { ReleasePorts } from './ports.ts';
import {
  HOLDABLE_STATUSES,
  holdData,
  isCancelled,
  mutate,
  orderEvent,
  type StepContext,
  shipmentsOf,
  withStatus,
} from './release-state.ts';

/** What people (ops, customer service) and the channel's cancellation do to an order's release. */

/**
 * Cancels the release side of an order, from the channel (OrderCancelled) or from ops (API),
 * at any point before shipping: marks it cancelled, releases every reservation it holds (inventory
 * makes each release happen once, whoever asks and however often), drops its backorders, and
 * ends a workflow parked on a hold. Safe to repeat; a repeat finishes what a crash left undone.
 */
export async function cancelOrder(
  ports: ReleasePorts,
  orderId: string,
  by: { source: 'channel' | 'ops'; actor: string; reason?: string },
  ctx: StepContext,
) {
  const marked = await mutate(
    ports,
    orderId,
    (order) => {
      if (order.status === 'shipped') {
        throw new Conflict('ORDER_ALREADY_SHIPPED', `Order ${orderId} has shipped; return it instead`);
      }
      if (order.cancellation) return { value: order.cancellation.previousStatus };
      const at = ports.clock().toISOString();
      const previousStatus =
        order.status === 'cancelled'
          ? (order.statusHistory?.filter((h) => h.status !== 'cancelled').at(-1)?.status ?? 'received')
          : order.status;
      return {
        value: previousStatus,
        patch: {
          cancellation: {
            at,
            by: by.actor,
            source: by.source,
            previousStatus,
            ...(by.reason ? { reason: by.reason } : {}),
          },
          ...withStatus(order, 'cancelled', at, by.actor, 'OrderReleaseCancelled'),
        },
      };
    },
    { allowCancelled: true },
  );
  const order = marked.order;
  // Shipments a previous run already cancelled are released again (a no-op in inventory), so a
  // repeated cancel answers the same as the first.
  const holding = shipmentsOf(order).filter((s) =>
    ['pending', 'reserved', 'released', 'cancelled'].includes(s.status),
  );
  for (const s of holding) {
    await ports.reservations.release(s.reservationId, `order cancelled (${by.source})`, ctx.correlationId);
  }
  const released = holding.map((s) => s.reservationId);
  const recallFrom = [...new Set(holding.filter((s) => s.releasedAt).map((s) => s.locationId))];
  const done = await mutate(
    ports,
    orderId,
    (current) => {
      const at = current.cancellation?.at ?? ports.clock().toISOString();
      const shipments = { ...(current.shipments ?? {}) };
      for (const id of released) if (shipments[id]) shipments[id] = { ...shipments[id], status: 'cancelled' };
      const lineStates: Record<string, LineState> = {};
      for (const [lineId, s] of Object.entries(current.lineStates ?? {})) {
        lineStates[lineId] = 'reservationId' in s ? { ...s, status: 'cancelled' } : s;
      }
      const event = orderEvent(
        OrderReleaseCancelled,
        {
          orderId,
          channelId: current.channelId,
          status: 'cancelled',
          source: current.cancellation?.source ?? by.source,
          by: current.cancellation?.by ?? by.actor,
          ...((current.cancellation?.reason ?? by.reason)
            ? { reason: current.cancellation?.reason ?? by.reason }
            : {}),
          previousStatus: current.cancellation?.previousStatus ?? marked.value,
          releasedReservations: released,
          recallFrom,
          at,
        },
        orderId,
        'cancel',
        at,
        ctx,
      );
      const settled = released.every((id) => current.shipments?.[id]?.status === 'cancelled');
      if (settled && !current.backorder && current.pendingRound === undefined)
        return { value: at, events: [event] };
      return {
        value: at,
        patch: { shipments, lineStates, backorder: undefined, pendingRound: undefined },
        events: [event],
      };
    },
    { allowCancelled: true },
  );
  await ports.backorders.remove(
    [...new Set(order.lines.map((l) => l.sku))].map((sku) => ({
      sku,
      orderId,
      channelPriority: order.channelPriority ?? 0,
      placedAt: order.placedAt,
    })),
  );
  const token = await ports.orders.parkedToken(orderId);
  if (token) {
    await ports.tokens.fail(token, 'OrderCancelled', `Order ${orderId} was cancelled (${by.source})`);
    await ports.orders.clearToken(orderId, token);
  }
  return {
    orderId,
    status: 'cancelled' as const,
    previousStatus: marked.value,
    releasedReservations: released,
    recallFrom,
    cancelledAt: done.value,
  };
}

/** Customer service puts an order on hold before it is allocated. */
export async function placeHold(
  ports: ReleasePorts,
  orderId: string,
  input: { reason: string; actor: string },
  ctx: StepContext,
): Promise<Hold> {
  const { value } = await mutate<Hold>(ports, orderId, (order) => {
    if (isCancelled(order)) throw new Conflict('ORDER_CANCELLED', `Order ${orderId} is cancelled`);
    if (!HOLDABLE_STATUSES.has(order.status) || order.pendingRound !== undefined || order.shipments) {
      throw new Conflict(
        'ORDER_NOT_HOLDABLE',
        `Order ${orderId} is ${order.status} and already allocated; cancel it instead`,
        { status: order.status },
      );
    }
    const at = ports.clock().toISOString();
    const n = Object.values(order.holds ?? {}).filter((h) => h.type === 'manual').length + 1;
    const hold: Hold = {
      holdId: `manual-${n}`,
      type: 'manual',
      reason: input.reason,
      placedBy: input.actor,
      placedAt: at,
      status: 'open',
    };
    return {
      value: hold,
      patch: {
        holds: { ...(order.holds ?? {}), [hold.holdId]: hold },
        ...(order.status === 'on_hold' ? {} : withStatus(order, 'on_hold', at, input.actor, 'OrderHeld')),
      },
      events: [
        orderEvent(
          OrderHeld,
          { orderId, channelId: order.channelId, status: 'on_hold', hold: holdData(hold) },
          orderId,
          hold.holdId,
          at,
          ctx,
        ),
      ],
    };
  });
  return value;
}

/**
 * A person releases one hold (reason, who, when are kept). When it was the last open hold, the
 * parked workflow is resumed with SendTaskSuccess; it evaluates holds again, and a released hold
 * is never raised again by the same facts.
 */
export async function releaseHold(
  ports: ReleasePorts,
  orderId: string,
  holdId: string,
  input: { actor: string; note?: string },
  ctx: StepContext,
) {
  const { value } = await mutate(ports, orderId, (order) => {
    const hold = order.holds?.[holdId];
    if (!hold) throw new NotFound('Hold', `${orderId}/${holdId}`);
    if (isCancelled(order)) throw new Conflict('ORDER_CANCELLED', `Order ${orderId} is cancelled`);
    const remainingBefore = openHolds(order).filter((h) => h.holdId !== holdId);
    if (hold.status === 'released') {
      return { value: { hold, remaining: remainingBefore.length, status: order.status } };
    }
    const at = ports.clock().toISOString();
    const released: Hold = {
      ...hold,
      status: 'released',
      releasedBy: input.actor,
      releasedAt: at,
      ...(input.note ? { note: input.note } : {}),
    };
    const resumes = remainingBefore.length === 0 && order.status === 'on_hold';
    const status = resumes ? 'received' : order.status;
    return {
      value: { hold: released, remaining: remainingBefore.length, status },
      patch: {
        holds: { ...(order.holds ?? {}), [holdId]: released },
        ...(resumes ? withStatus(order, 'received', at, input.actor, 'OrderHoldReleased') : {}),
      },
      events: [
        orderEvent(
          OrderHoldReleased,
          {
            orderId,
            channelId: order.channelId,
            status,
            hold: holdData(released),
            remaining: remainingBefore.length,
          },
          orderId,
          holdId,
          at,
          ctx,
        ),
      ],
    };
  });
  let resumed = false;
  if (value.remaining === 0) {
    const token = await ports.orders.parkedToken(orderId);
    if (token) {
      resumed = (await ports.tokens.succeed(token, { releasedBy: input.actor, holdId })) === 'ok';
      await ports.orders.clearToken(orderId, token);
    }
  }
  return { orderId, ...value, resumed };
}

/**
 * A person sends a failed order through release again, once they have dealt with the cause: the
 * review hold is released (who, when, note kept), the order is `received` again, and a new
 * durable execution (`<orderId>-retry-<n>`) allocates it from the next round. Only a failed
 * order can be retried; a repeat of the same request finds it no longer failed and says so.
 */
export async function retryFailedOrder(
  ports: ReleasePorts,
  orderId: string,
  input: { actor: string; note?: string },
  ctx: StepContext,
) {
  const { value } = await mutate(ports, orderId, (order) => {
    if (isCancelled(order)) throw new Conflict('ORDER_CANCELLED', `Order ${orderId} is cancelled`);
    if (order.status !== 'failed') {
      throw new Conflict(
        'ORDER_NOT_FAILED',
        `Order ${orderId} is ${order.status}; only a failed order is retried`,
        {
          status: order.status,
        },
      );
    }
    const at = ports.clock().toISOString();
    const retry = (order.releaseRetries ?? 0) + 1;
    const review = order.holds?.review;
    const holds = { ...(order.holds ?? {}) };
    if (review?.status === 'open') {
      holds.review = {
        ...review,
        status: 'released',
        releasedBy: input.actor,
        releasedAt: at,
        ...(input.note ? { note: input.note } : {}),
      };
    }
    return {
      value: retry,
      patch: {
        holds,
        releaseRetries: retry,
        releaseFailure: undefined,
        pendingRound: undefined,
        ...withStatus(order, 'received', at, input.actor, 'OrderReleaseRetried'),
      },
    };
  });
  await ports.workflows.startRelease(orderId, ctx.correlationId, value);
  return { orderId, status: 'received' as const, retry: value };
}
