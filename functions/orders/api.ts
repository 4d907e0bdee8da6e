/**
 * The orders context's front door: the types and events other contexts, the deployer and the
 * console may use. Nothing else under `functions/orders/` is imported from outside it
 * (dependency-cruiser checks); other contexts never read or write orders' items.
 */

import { dynamoOrderQueries } from './adapters/order-queries.ts';
import { dynamoChannelStore } from './intake/adapters/channel-store.ts';
import { intakePorts } from './intake/adapters/wiring.ts';
import { type IntakeOutcome, receiveDelivery } from './intake/core/receive-delivery.ts';
import { CHANNEL_TYPES, type Channel, type Listing } from './intake/schemas/channel.ts';

export type { OrderStatusName, OrderSummary } from './core/order-view.ts';
export { AmazonOrderDetailsRequested } from './events/amazon-order-details-requested.ts';
export { ChannelRefundCreated, ChannelReturnRequested } from './events/channel-returns.ts';
export { ChannelUpserted } from './events/channel-upserted.ts';
export { OrderBackordered } from './events/order-backordered.ts';
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

/** A replacement order for an exchange: the original order's customer, address and service, these lines at no charge. */
export interface ReplacementRequest {
  sourceOrderId: string;
  /** Unique per exchange (the return id): the replacement's externalId and delivery id derive from it. */
  exchangeId: string;
  lines: { sku: string; quantity: number }[];
}

/**
 * Places the replacement as a new order of the original's channel through intake, exactly like a
 * storefront delivery (then release takes it like any order). Idempotent by `exchangeId`: a repeat
 * answers the same order. `refused` names why intake did not take it (unknown SKU, no currency...).
 */
export async function placeReplacementOrder(
  req: ReplacementRequest,
  correlationId: string,
): Promise<{ orderId: string; status: string } | { refused: string }> {
  queries ??= dynamoOrderQueries();
  const source = await queries.get(req.sourceOrderId);
  if (!source) return { refused: `order ${req.sourceOrderId} was not found` };
  if (!source.currency) return { refused: `order ${req.sourceOrderId} has no currency` };
  const { intake, channels } = intakePorts();
  const channel = await channels.get(source.channelId);
  if (!channel) return { refused: `channel ${source.channelId} was not found` };
  const externalId = `${source.externalId}-exchange-${req.exchangeId}`;
  const body = {
    externalId,
    placedAt: new Date().toISOString(),
    currency: source.currency,
    lines: req.lines.map((l, i) => ({
      lineId: `X${i + 1}`,
      sku: l.sku,
      quantity: l.quantity,
      unitPrice: '0',
    })),
    ...(source.shipTo ? { shipTo: source.shipTo } : {}),
    serviceLevel: source.serviceLevel,
    payment: { status: 'paid' },
    ...(source.customerRef ? { customerRef: source.customerRef } : {}),
  };
  const result = await receiveDelivery(
    intake,
    {
      source: 'generic',
      channel,
      channelKey: channel.channelId,
      deliveryId: `exchange:${req.exchangeId}`,
      rawBody: JSON.stringify(body),
      receivedAt: new Date().toISOString(),
    },
    { correlationId },
  );
  const o = result.outcome;
  if (o.kind === 'exception') return { refused: `${o.code}: ${o.message}` };
  if (o.kind === 'ignored')
    return o.orderId ? { orderId: o.orderId, status: 'ignored' } : { refused: o.reason };
  if (o.kind === 'forwarded') return { refused: 'not an order' };
  return { orderId: o.orderId, status: o.status };
}
/** What connectors fetched from the Orders API v0 for an ORDER_CHANGE (AmazonOrderDetailsRequested). */
export interface AmazonOrderDetails {
  /** `getOrder`'s payload. */
  order: unknown;
  /** Every page of `getOrderItems`' `OrderItems`. */
  orderItems: unknown[];
  /** `getOrderAddress`'s `ShippingAddress`, or null when Amazon gave none. */
  shippingAddress: unknown;
}

/**
 * Takes the ORDER_CHANGE of an AmazonOrderDetailsRequested through intake, with the order's
 * details when connectors could fetch them (a full order: lines, prices, address) or as it is
 * when the channel cannot be asked (then it waits on an address hold, as before connections).
 * Idempotent by the notification's id, like the notification itself.
 */
export async function takeAmazonOrderDetails(
  req: {
    channelId: string;
    deliveryId: string;
    notification: string;
    receivedAt: string;
    details?: AmazonOrderDetails;
  },
  correlationId: string,
): Promise<IntakeOutcome> {
  const { intake, channels } = intakePorts();
  const channel = await channels.get(req.channelId);
  const notification = JSON.parse(req.notification) as Record<string, unknown>;
  const rawBody = req.details
    ? JSON.stringify({ ...notification, OrderDetails: req.details })
    : req.notification;
  const result = await receiveDelivery(
    intake,
    {
      source: 'amazon',
      channel,
      channelKey: channel?.channelId ?? req.channelId,
      deliveryId: req.deliveryId,
      topic: 'ORDER_CHANGE',
      rawBody,
      receivedAt: req.receivedAt,
    },
    { correlationId },
  );
  return result.outcome;
}

let store: ReturnType<typeof dynamoChannelStore> | undefined;
/** Wired on first use, so importing this module for its types or events costs nothing. */
const channelStore = () => {
  store ??= dynamoChannelStore();
  return store;
};

/**
 * A channel's configuration as connectors need it (type, locations, shop domain, connection with
 * the SecretStore name of its token, never the token); cached for a few seconds.
 */
export const channelOf = (channelId: string): Promise<Channel | undefined> =>
  channelStore().getCached(channelId);

/** Every channel's configuration (connectors' sweep over channels with pushes pending). */
export async function allChannels(): Promise<Channel[]> {
  return (await Promise.all(CHANNEL_TYPES.map((t) => channelStore().listOfType(t)))).flat();
}

/** The channel's listings of one SKU: the ids connectors write its stock to. */
export const listingsOfSku = (channelId: string, sku: string): Promise<Listing[]> =>
  channelStore().listingsOfSku(channelId, sku);

/**
 * How many intake exceptions are open, counted up to `atMost` (enough to compare with a
 * threshold without reading a backlog of thousands).
 */
export async function openIntakeExceptions(atMost: number): Promise<number> {
  const { store: intakeStore } = intakePorts();
  let count = 0;
  let cursor: string | undefined;
  do {
    const page = await intakeStore.listExceptions({
      status: 'open',
      limit: Math.min(200, atMost - count),
      ...(cursor ? { cursor } : {}),
    });
    count += page.items.length;
    cursor = page.cursor;
  } while (cursor && count < atMost);
  return count;
}
