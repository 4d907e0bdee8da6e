import { createEvent, type DomainEvent } from '#shared/events';
import { OrderCancelled } from '../events/order-cancelled.ts';
import { OrderReceived } from '../events/order-received.ts';
import { OrderUpdated } from '../events/order-updated.ts';
import type { StoredOrder } from '../schemas/canonical-order.ts';

export type OrderEventType = 'OrderReceived' | 'OrderUpdated' | 'OrderCancelled';

const lines = (o: StoredOrder) =>
  o.lines.map((l) => ({
    lineId: l.lineId,
    sku: l.sku,
    quantity: l.quantity,
    unitPrice: l.unitPrice,
    discount: l.discount,
    ...(l.isKit ? { isKit: true } : {}),
  }));

const body = (o: StoredOrder) => ({
  orderId: o.orderId,
  channelId: o.channelId,
  externalId: o.externalId,
  lines: lines(o),
  currency: o.currency,
  shipTo: o.shipTo,
  paymentStatus: o.paymentStatus,
  placedAt: o.placedAt,
  serviceLevel: o.serviceLevel,
  ...(o.allowSubstitutes === undefined ? {} : { allowSubstitutes: o.allowSubstitutes }),
  customerRef: o.customerRef,
  ...(o.detailsPending ? { detailsPending: true } : {}),
});

/**
 * The event an order's last transition produced, rebuilt from the stored order and its
 * `lastEvent`, so every (re)delivery carries the same eventId (consumers dedupe on it).
 */
export function orderEvent(order: StoredOrder): DomainEvent {
  const pending = order.lastEvent;
  if (!pending) throw new Error(`Order ${order.orderId} has no event`);
  const ctx = {
    correlationId: pending.correlationId ?? order.orderId,
    now: () => new Date(pending.occurredAt),
  };
  let event: DomainEvent;
  switch (pending.detailType as OrderEventType) {
    case 'OrderReceived':
      event = createEvent(OrderReceived, body(order), ctx);
      break;
    case 'OrderUpdated':
      event = createEvent(
        OrderUpdated,
        { ...body(order), changed: [...(pending.changed ?? [])], sourceUpdatedAt: order.sourceUpdatedAt },
        ctx,
      );
      break;
    case 'OrderCancelled':
      event = createEvent(
        OrderCancelled,
        {
          orderId: order.orderId,
          channelId: order.channelId,
          externalId: order.externalId,
          cancelledAt: order.cancelledAt ?? order.sourceUpdatedAt,
          ...(order.cancelReason ? { reason: order.cancelReason } : {}),
          lines: lines(order),
        },
        ctx,
      );
      break;
    default:
      throw new Error(`Unknown order event ${pending.detailType}`);
  }
  event.detail.metadata.eventId = pending.eventId;
  return event;
}

/**
 * The outbox rule, applied to each change of an order item on the table stream: a new
 * `lastEvent` (by eventId) is published; any other change (a workflow moving the status, an
 * update that owes nothing) is not. Stream redelivery re-publishes with the same eventId.
 */
export function outboxEvent(
  before: StoredOrder | undefined,
  after: StoredOrder | undefined,
): DomainEvent | undefined {
  const next = after?.lastEvent;
  if (!after || !next || before?.lastEvent?.eventId === next.eventId) return undefined;
  return orderEvent(after);
}
