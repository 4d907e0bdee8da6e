/**
 * The orders context's front door: the types and events other contexts, the deployer and the
 * console may use. Nothing else under `functions/orders/` is imported from outside it
 * (dependency-cruiser checks); other contexts never read or write orders' items.
 */

export type { OrderStatusName, OrderSummary } from './core/order-view.ts';
export { ChannelUpserted } from './events/channel-upserted.ts';
export { OrderCancelled } from './events/order-cancelled.ts';
export { OrderExceptionRaised } from './events/order-exception-raised.ts';
export { OrderReceived } from './events/order-received.ts';
export { OrderReleaseCancelled } from './events/order-release-cancelled.ts';
export { OrderReleased } from './events/order-released.ts';
export { OrderUpdated } from './events/order-updated.ts';
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
