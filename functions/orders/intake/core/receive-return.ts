import type { EventPublisher } from '#shared/events';
import { derivedEvent } from '#shared/events';
import { IntakeFailure } from '../../errors.ts';
import { ChannelRefundCreated, ChannelReturnRequested } from '../../events/channel-returns.ts';
import { orderIdFor } from '../../keys.ts';
import type { StoredOrder } from '../../schemas/canonical-order.ts';
import type { IntakeException, IntakeStore } from './intake-records.ts';
import {
  type ChannelUnitLine,
  normalizeShopifyReturn,
  type RefundDraft,
  type ReturnRequestDraft,
  wooOrderRefundDrafts,
} from './normalize/channel-returns.ts';
import { type Delivery, type IntakeResult, recordFailure } from './receive-delivery.ts';

export interface ReturnIntakePorts {
  store: Pick<IntakeStore, 'loadOrder' | 'createException' | 'resolveException' | 'recordReplayFailure'>;
  /** Where ChannelReturnRequested / ChannelRefundCreated go (the bus; returns consumes them). */
  returnEvents?: EventPublisher;
  clock: () => Date;
}

/**
 * Our SKUs and units for the channel's lines: each line by its channel line id on the order, else
 * by its SKU among the order's lines; units of one SKU summed. A line matching neither is
 * UNMAPPED_RETURN_LINE (the delivery becomes an intake exception, replayable once mapped).
 */
export function mapReturnLines(order: Pick<StoredOrder, 'lines'>, lines: readonly ChannelUnitLine[]) {
  const out = new Map<string, { quantity: number; reason?: string }>();
  const unmapped: ChannelUnitLine[] = [];
  for (const l of lines) {
    const match =
      (l.lineId ? order.lines.find((o) => o.lineId === l.lineId) : undefined) ??
      (l.sku ? order.lines.find((o) => o.sku === l.sku) : undefined);
    if (!match) {
      unmapped.push(l);
      continue;
    }
    const prev = out.get(match.sku);
    out.set(match.sku, {
      quantity: (prev?.quantity ?? 0) + l.quantity,
      ...((prev?.reason ?? l.reason) ? { reason: prev?.reason ?? l.reason } : {}),
    });
  }
  if (unmapped.length)
    throw new IntakeFailure(
      'UNMAPPED_RETURN_LINE',
      `Lines that match no line of the order: ${unmapped.map((l) => l.lineId ?? l.sku ?? '?').join(', ')}`,
      unmapped.map((l) => ({
        field: 'lines',
        message: `line ${l.lineId ?? l.sku ?? '?'} is not on the order`,
      })),
    );
  return [...out].map(([sku, v]) => ({ sku, ...v }));
}

/**
 * A verified Shopify `returns/request` or `refunds/create` delivery → the returns context, through
 * the bus: the order is looked up (UNKNOWN_ORDER otherwise), the channel's line ids mapped to our
 * SKUs, and ChannelReturnRequested / ChannelRefundCreated published with an id derived from the
 * channel's return or refund id, so a redelivery (or a replay) is one event to returns. Nothing is
 * written here: a delivery that cannot be mapped becomes an intake exception, like an order's.
 */
export async function receiveReturnDelivery(
  ports: ReturnIntakePorts,
  delivery: Delivery,
  ctx: { correlationId: string; replay?: IntakeException },
): Promise<IntakeResult> {
  const at = ports.clock().toISOString();
  try {
    if (!delivery.channel)
      throw new IntakeFailure(
        'UNKNOWN_CHANNEL',
        `No ${delivery.source} channel matches ${delivery.channelKey}`,
      );
    const draft = normalizeShopifyReturn(delivery.topic ?? '', delivery.rawBody, delivery.receivedAt);
    const orderId = await forwardDraft(ports, delivery.channel.channelId, draft, ctx.correlationId);
    if (ctx.replay)
      await ports.store.resolveException(ctx.replay.exceptionId, { outcome: 'forwarded', orderId }, at);
    return { outcome: { kind: 'forwarded', orderId, to: 'returns' }, duplicate: false };
  } catch (error) {
    if (error instanceof IntakeFailure) return recordFailure(ports, delivery, error, ctx, at);
    throw error;
  }
}

/**
 * The refunds a WooCommerce order delivery carries, after the order itself was taken: each goes
 * to returns as ChannelRefundCreated (once per refund id, however many order updates repeat it).
 * A refund that cannot be mapped is skipped (the order's delivery stands; returns never sees it).
 */
export async function forwardWooRefunds(
  ports: ReturnIntakePorts,
  delivery: Delivery,
  correlationId: string,
): Promise<number> {
  if (!delivery.channel || delivery.source !== 'woocommerce') return 0;
  let sent = 0;
  for (const draft of wooOrderRefundDrafts(delivery.rawBody, delivery.receivedAt)) {
    try {
      await forwardDraft(ports, delivery.channel.channelId, draft, correlationId);
      sent++;
    } catch (error) {
      if (!(error instanceof IntakeFailure)) throw error;
    }
  }
  return sent;
}

async function forwardDraft(
  ports: ReturnIntakePorts,
  channelId: string,
  draft: ReturnRequestDraft | RefundDraft,
  correlationId: string,
): Promise<string> {
  if (!ports.returnEvents) throw new Error('Intake has no publisher for channel returns');
  const orderId = orderIdFor(channelId, draft.externalId);
  const order = await ports.store.loadOrder(orderId);
  if (!order)
    throw new IntakeFailure('UNKNOWN_ORDER', `The channel's order ${draft.externalId} is not one we have`, [
      { field: 'order_id', message: `no order ${draft.externalId} on channel ${channelId}` },
    ]);
  const lines = mapReturnLines(order, draft.lines);
  const stamp = (t: string) => (Number.isNaN(Date.parse(t)) ? ports.clock() : new Date(t)).toISOString();
  const base = { channelId, orderId, externalId: draft.externalId };
  const event =
    draft.kind === 'return'
      ? derivedEvent(
          ChannelReturnRequested,
          { ...base, channelReturnId: draft.channelReturnId, lines, requestedAt: stamp(draft.requestedAt) },
          `${channelId}\n${draft.channelReturnId}`,
          stamp(draft.requestedAt),
          correlationId,
        )
      : derivedEvent(
          ChannelRefundCreated,
          {
            ...base,
            channelRefundId: draft.channelRefundId,
            amount: draft.amount,
            currency: draft.currency ?? order.currency ?? null,
            ...(draft.note ? { note: draft.note } : {}),
            lines: lines.map(({ sku, quantity }) => ({ sku, quantity })),
            createdAt: stamp(draft.createdAt),
          },
          `${channelId}\n${draft.channelRefundId}`,
          stamp(draft.createdAt),
          correlationId,
        );
  await ports.returnEvents.publish([event]);
  return orderId;
}
