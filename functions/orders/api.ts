/**
 * The orders context's front door: the types and events other contexts, the deployer and the
 * console may use. Nothing else under `functions/orders/` is imported from outside it
 * (dependency-cruiser checks); other contexts never read or write orders' items.
 */

import { dynamoOrderQueries } from './adapters/order-queries.ts';

export type { OrderStatusName, OrderSummary } from './core/order-view.ts';
export { ChannelUpserted } from './events/channel-upserted.ts';
export { OrderCancelled } from './events/order-cancelled.ts';
export { OrderExceptionRaised } from './events/order-exception-raised.ts';
export { OrderReceived } from './events/order-received.ts';
export { OrderReleaseCancelled } from './events/order-release-cancelled.ts';
export { OrderReleased } from './events/order-released.ts';
export { ThreePLOrderRequested } from './events/three-pl-order-requested.ts';
export type { Rejection } from './intake/adapters/rejection-store.ts';
export type { IntakeExceptionView } from './intake/core/exception-view.ts';
export type { IntakeException, IntakeExceptionSummary } from './intake/core/intake-records.ts';
export type { IntakeOutcome } from './intake/core/receive-delivery.ts';
export type { Channel, Listing, PutChannelBody } from './intake/schemas/channel.ts';
export type { SimulationMetrics } from './release/core/simulate.ts';
export type {
  CandidateExplanation,
  Hold,
  OrderException,
  ReleaseFields,
  RoutingRuleInput,
  Shipment,
  StoredRuleSet,
} from './release/schemas.ts';
export type { StoredOrder } from './schemas/canonical-order.ts';

/** What returns need of an order: its channel, currency, when it was placed, and each line's price. */
export interface OrderForReturn {
  orderId: string;
  channelId: string;
  externalId: string;
  currency: string | null;
  placedAt: string;
  lines: { lineId: string; sku: string; quantity: number; unitPrice: number | null; discount: number }[];
}

let queries: ReturnType<typeof dynamoOrderQueries> | undefined;

/** One order as returns price and check it, or undefined when there is none. */
export async function orderForReturn(orderId: string): Promise<OrderForReturn | undefined> {
  queries ??= dynamoOrderQueries();
  const order = await queries.get(orderId);
  if (!order) return undefined;
  return {
    orderId: order.orderId,
    channelId: order.channelId,
    externalId: order.externalId,
    currency: order.currency,
    placedAt: order.placedAt,
    lines: order.lines.map((l) => ({
      lineId: l.lineId,
      sku: l.sku,
      quantity: l.quantity,
      unitPrice: l.unitPrice,
      discount: l.discount,
    })),
  };
}
