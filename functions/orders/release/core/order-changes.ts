import { OrderExceptionRaised } from '../../events/order-exception-raised.ts';
import type { OrderUpdated } from '../../events/order-updated.ts';
import type { OrderException } from '../schemas.ts';
import { automaticHolds, paymentCaptured } from './holds.ts';
import { releaseHold } from './operator-commands.ts';
import type { ReleasePorts } from './ports.ts';
import { isCancelled, mutate, orderEvent, type StepContext } from './release-state.ts';

type OrderUpdate = (typeof OrderUpdated.data)['_output'];

/** Fields a warehouse cannot absorb once an order is allocated to it. */
const MATERIAL = new Set(['lines', 'shipTo', 'serviceLevel']);

export type ChangeOutcome =
  | 'payment-hold-released'
  | 'address-hold-released'
  | 'exception-raised'
  | 'nothing';

/**
 * The channel changed an order (intake has already stored the change). Before allocation the
 * release acts on it: a payment hold clears once the channel reports the payment captured (the
 * same rule that raised it), resuming the parked workflow if it was the last hold; the rest of
 * the new order is what allocation will read. After allocation a change to lines, address or
 * service level is not applied silently: it becomes an order exception for customer service.
 * Idempotent: a redelivered update finds the hold already released, or the exception (keyed by
 * the channel's update time) already raised.
 */
export async function applyOrderUpdate(
  ports: ReleasePorts,
  update: OrderUpdate,
  ctx: StepContext,
): Promise<ChangeOutcome> {
  const order = await ports.orders.load(update.orderId);
  if (!order || isCancelled(order)) return 'nothing';
  const allocated = Object.keys(order.shipments ?? {}).length > 0;
  if (!allocated) {
    // The address first: releasing the payment hold last resumes the parked workflow once.
    const addressReleased = await releaseAddressHold(ports, order, update, ctx);
    if (order.holds?.payment?.status === 'open' && paymentCaptured(update.paymentStatus)) {
      await releaseHold(
        ports,
        order.orderId,
        'payment',
        { actor: 'system:channel', note: `the channel reports the payment ${update.paymentStatus}` },
        ctx,
      );
      return 'payment-hold-released';
    }
    return addressReleased ? 'address-hold-released' : 'nothing';
  }
  const changed = update.changed.filter((f) => MATERIAL.has(f));
  if (changed.length === 0) return 'nothing';
  const exceptionId = `change-${update.sourceUpdatedAt}`;
  const { value } = await mutate<ChangeOutcome>(ports, order.orderId, (current) => {
    if (isCancelled(current) || current.exceptions?.[exceptionId]) return { value: 'nothing' };
    const at = ports.clock().toISOString();
    const exception: OrderException = {
      exceptionId,
      kind: 'changed-after-allocation',
      changed,
      status: 'open',
      at,
      orderStatus: current.status,
    };
    return {
      value: 'exception-raised',
      patch: { exceptions: { ...(current.exceptions ?? {}), [exceptionId]: exception } },
      events: [
        orderEvent(
          OrderExceptionRaised,
          { orderId: current.orderId, channelId: current.channelId, ...exception },
          current.orderId,
          exceptionId,
          at,
          ctx,
        ),
      ],
    };
  });
  return value;
}

/**
 * An address hold the release raised because the channel had not sent the details yet (an
 * Amazon order taken from its notification) is lifted when an update brings them and the
 * address now passes the same check that raised it. A hold a person placed, or one raised for a
 * bad address the update did not touch, stays.
 */
async function releaseAddressHold(
  ports: ReleasePorts,
  order: NonNullable<Awaited<ReturnType<ReleasePorts['orders']['load']>>>,
  update: OrderUpdate,
  ctx: StepContext,
): Promise<boolean> {
  const hold = order.holds?.address;
  if (hold?.status !== 'open' || hold.placedBy !== 'system:order-release') return false;
  if (!update.changed.some((f) => f === 'detailsPending' || f === 'shipTo')) return false;
  const channel = await ports.channels.get(order.channelId);
  if (!channel) return false;
  const [nodes, active] = await Promise.all([ports.nodes.get(channel.locationIds), ports.rules.active()]);
  const still = automaticHolds(
    { ...order, holds: {} },
    channel,
    nodes,
    active.rules,
    ports.clock().toISOString(),
  );
  if (still.some((h) => h.type === 'address')) return false;
  await releaseHold(
    ports,
    order.orderId,
    'address',
    { actor: 'system:channel', note: "the channel sent the order's details and address" },
    ctx,
  );
  return true;
}
