import { FulfillmentPacked } from '../../functions/fulfillment/events/fulfillment-packed.ts';
import { PickShorted } from '../../functions/fulfillment/events/pick-shorted.ts';
import { ShipmentConfirmed } from '../../functions/fulfillment/events/shipment-confirmed.ts';
import { WaveReleased } from '../../functions/fulfillment/events/wave-released.ts';
import { ReservationReleased } from '../../functions/inventory/events/reservation-released.ts';
import { StockAdjusted } from '../../functions/inventory/events/stock-adjusted.ts';
import { StockReceived } from '../../functions/inventory/events/stock-received.ts';
import { OrderCancelled } from '../../functions/orders/events/order-cancelled.ts';
import { OrderReceived } from '../../functions/orders/events/order-received.ts';
import { OrderUpdated } from '../../functions/orders/events/order-updated.ts';
import type { ContextManifest, Role } from './types.ts';

const CHANNEL_ADMINS: readonly Role[] = ['admin'];
const LISTING_EDITORS: readonly Role[] = ['admin', 'inventory-controller'];
const EXCEPTION_READERS: readonly Role[] = ['admin', 'supervisor', 'customer-service'];
const EXCEPTION_REPLAYERS: readonly Role[] = ['admin', 'supervisor'];
/** Holds and cancellations (issue 5). */
const HOLD_MANAGERS: readonly Role[] = ['admin', 'supervisor', 'customer-service'];
const RULE_EDITORS: readonly Role[] = ['admin', 'supervisor'];
const RULE_READERS: readonly Role[] = ['admin', 'supervisor', 'customer-service'];
const ORDER_READERS: readonly Role[] = [
  'admin',
  'supervisor',
  'customer-service',
  'warehouse-associate',
  'finance',
];

/**
 * SP-API notifications reach our bus from the partner event bus
 * (`aws.partner/sellingpartnerapi.amazon.com/<account>/<app>`), which forwards them unchanged:
 * source is the partner event source name, detail is the notification document.
 */
export const SP_API_ORDER_CHANGE_PATTERN = {
  source: [{ prefix: 'aws.partner/sellingpartnerapi.amazon' }],
  detail: { NotificationType: ['ORDER_CHANGE'] },
} as const;

/** Orders: channel intake, canonical orders, holds, allocation, backorders. */
export const orders: ContextManifest = {
  functions: {
    putChannel: {
      entry: 'functions/orders/intake/handlers/put-channel.ts',
      description:
        'PUT /api/channels/{channelId}: channel config; the webhook secret goes to the secret store',
      table: 'RW',
      publishes: true,
      readsSecrets: true,
      writesSecrets: true,
    },
    getChannel: {
      entry: 'functions/orders/intake/handlers/get-channel.ts',
      description: 'GET /api/channels/{channelId}: channel config without its secret',
      table: 'R',
    },
    putChannelListing: {
      entry: 'functions/orders/intake/handlers/put-listing.ts',
      description: 'PUT /api/channels/{channelId}/listings/{externalId}: channel id → SKU',
      table: 'RW',
    },
    shopifyWebhook: {
      entry: 'functions/orders/intake/handlers/shopify-webhook.ts',
      description: 'POST /webhooks/shopify/{channelId}: verify, normalize, take once',
      table: 'RW',
      publishes: true,
      readsSecrets: true,
      /** Deliveries over 256 KB that become intake exceptions keep their body in S3. */
      exportsBucket: 'RW',
    },
    woocommerceWebhook: {
      entry: 'functions/orders/intake/handlers/woocommerce-webhook.ts',
      description: 'POST /webhooks/woocommerce/{channelId}: verify, normalize, take once; answers the ping',
      table: 'RW',
      publishes: true,
      readsSecrets: true,
      /** Deliveries over 256 KB that become intake exceptions keep their body in S3. */
      exportsBucket: 'RW',
    },
    storefrontWebhook: {
      entry: 'functions/orders/intake/handlers/storefront-webhook.ts',
      description: 'POST /webhooks/orders/{channelId}: canonical orders from custom storefronts',
      table: 'RW',
      publishes: true,
      readsSecrets: true,
      /** Deliveries over 256 KB that become intake exceptions keep their body in S3. */
      exportsBucket: 'RW',
    },
    amazonOrderChange: {
      entry: 'functions/orders/intake/handlers/amazon-order-change.ts',
      description: 'SP-API ORDER_CHANGE notifications (partner event source) → canonical orders',
      table: 'RW',
      publishes: true,
      exportsBucket: 'RW',
    },
    publishOrderEvents: {
      entry: 'functions/orders/handlers/publish-order-events.ts',
      urgency: 'order-flow',
      description: 'Orders outbox: publishes the event each order write carries, from the table stream',
      publishes: true,
      /** An order event whose detail passes 200 KB is published with its data in S3 (claim check). */
      exportsBucket: 'RW',
    },
    listIntakeExceptions: {
      entry: 'functions/orders/intake/handlers/list-intake-exceptions.ts',
      description:
        'GET /api/intake/exceptions: summaries (no raw bodies) of deliveries that could not become orders',
      table: 'R',
    },
    getIntakeException: {
      entry: 'functions/orders/intake/handlers/get-intake-exception.ts',
      description: 'GET /api/intake/exceptions/{id}: one intake exception with its raw body',
      table: 'R',
      exportsBucket: 'R',
    },
    replayIntakeException: {
      entry: 'functions/orders/intake/handlers/replay-intake-exception.ts',
      description: 'POST /api/intake/exceptions/{id}/replay: run a stored delivery through intake again',
      table: 'RW',
      publishes: true,
      /** Reads bodies kept in S3. */
      exportsBucket: 'R',
    },
    listWebhookRejections: {
      entry: 'functions/orders/intake/handlers/list-webhook-rejections.ts',
      description: 'GET /api/intake/rejections: webhooks that failed verification, and counts',
      table: 'R',
    },
    getOrder: {
      entry: 'functions/orders/handlers/get-order.ts',
      description: 'GET /api/orders/{id}',
      table: 'R',
    },
    listOrders: {
      entry: 'functions/orders/handlers/list-orders.ts',
      description:
        'GET /api/orders?status=&channelId=&locationId=&from=&to=&cursor=&limit=: work queues newest first (gsi2); ?channelId=&externalId=: one order',
      table: 'R',
    },
    getOrderCounts: {
      entry: 'functions/orders/handlers/get-order-counts.ts',
      description:
        'GET /api/orders/counts?locationId=: orders per status queue, the oldest in each, and how many are at risk (gsi2, Select COUNT)',
      table: 'R',
    },
    getOrderBacklog: {
      entry: 'functions/orders/handlers/get-order-backlog.ts',
      description:
        'GET /api/orders/backlog?days=: the open orders at the end of each day by status, replayed from status histories (gsi2)',
      table: 'R',
    },
    releaseOrder: {
      entry: 'functions/orders/release/handlers/release-order.ts',
      urgency: 'order-flow',
      description:
        'OrderReceived → holds, routing, reservation and release in one invocation; a hold or a failure starts order-release',
      table: 'RW',
      publishes: true,
      startsWorkflows: ['order-release'],
      /** Reads a claim-checked OrderReceived's data from S3. */
      exportsBucket: 'R',
      timeoutSeconds: 30,
    },
    orderReleaseTask: {
      entry: 'functions/orders/release/handlers/release-task.ts',
      urgency: 'order-flow',
      description: 'order-release steps: validate, holds, allocate, reserve, backorder, release, compensate',
      table: 'RW',
      publishes: true,
      timeoutSeconds: 120,
    },
    onOrderUpdated: {
      entry: 'functions/orders/release/handlers/on-order-updated.ts',
      urgency: 'order-flow',
      description:
        'Channel order changes: a paid update clears a payment hold; after allocation, an order exception',
      table: 'RW',
      publishes: true,
      completesTasks: true,
      /** Reads a claim-checked OrderUpdated's data from S3. */
      exportsBucket: 'R',
      timeoutSeconds: 30,
    },
    onOrderCancelled: {
      entry: 'functions/orders/release/handlers/on-order-cancelled.ts',
      urgency: 'order-flow',
      description: 'Channel cancellation: release reservations once, drop backorders, end a held workflow',
      table: 'RW',
      publishes: true,
      completesTasks: true,
      timeoutSeconds: 60,
    },
    cancelOrder: {
      entry: 'functions/orders/release/handlers/cancel-order.ts',
      description: 'POST /api/orders/{id}/cancel: ops cancellation, same path as a channel cancellation',
      table: 'RW',
      publishes: true,
      completesTasks: true,
      timeoutSeconds: 30,
    },
    retryOrder: {
      entry: 'functions/orders/release/handlers/retry-order.ts',
      description: 'POST /api/orders/{id}/retry: a failed order goes through release again (new execution)',
      table: 'RW',
      publishes: true,
      startsWorkflows: ['order-release'],
    },
    placeOrderHold: {
      entry: 'functions/orders/release/handlers/place-hold.ts',
      description: 'POST /api/orders/{id}/holds: manual (customer-service) hold before allocation',
      table: 'RW',
      publishes: true,
    },
    releaseOrderHold: {
      entry: 'functions/orders/release/handlers/release-hold.ts',
      description: 'POST /api/orders/{id}/holds/{holdId}/release: the last hold resumes the workflow',
      table: 'RW',
      publishes: true,
      completesTasks: true,
    },
    putRoutingRules: {
      entry: 'functions/orders/release/handlers/put-routing-rules.ts',
      description: 'PUT /api/routing-rules: a new version of the routing rules, made active',
      table: 'RW',
    },
    getRoutingRules: {
      entry: 'functions/orders/release/handlers/get-routing-rules.ts',
      description: 'GET /api/routing-rules: the active rules and recent versions',
      table: 'R',
    },
    simulateRouting: {
      entry: 'functions/orders/release/handlers/simulate-routing.ts',
      description: 'POST /api/routing-rules/simulate: replay recent orders under candidate rules, read-only',
      table: 'R',
      timeoutSeconds: 60,
      memoryMb: 1024,
    },
    retryBackorders: {
      entry: 'functions/orders/release/handlers/retry-backorders.ts',
      urgency: 'order-flow',
      description:
        'Stock arrived: retry the SKU backorders, highest channel priority then oldest, one run per SKU',
      table: 'RW',
      publishes: true,
      timeoutSeconds: 300,
    },
    onFulfillmentProgress: {
      entry: 'functions/orders/release/handlers/on-fulfillment-progress.ts',
      description:
        'Fulfillment events → order status: wave → picking, packed → packed, shipment → shipped or partially_shipped',
      table: 'RW',
      timeoutSeconds: 30,
    },
    onPickShorted: {
      entry: 'functions/orders/release/handlers/on-pick-shorted.ts',
      description:
        'PickShorted → the short units routed to another node (new reservation, OrderReleased) or backordered, once per task',
      table: 'RW',
      publishes: true,
      timeoutSeconds: 120,
    },
  },
  routes: [
    { method: 'PUT', path: '/api/channels/{channelId}', fn: 'putChannel', auth: { roles: CHANNEL_ADMINS } },
    { method: 'GET', path: '/api/channels/{channelId}', fn: 'getChannel', auth: { roles: CHANNEL_ADMINS } },
    {
      method: 'PUT',
      path: '/api/channels/{channelId}/listings/{externalId}',
      fn: 'putChannelListing',
      auth: { roles: LISTING_EDITORS },
    },
    {
      method: 'POST',
      path: '/webhooks/shopify/{channelId}',
      fn: 'shopifyWebhook',
      auth: { public: 'webhook' },
    },
    {
      method: 'POST',
      path: '/webhooks/woocommerce/{channelId}',
      fn: 'woocommerceWebhook',
      auth: { public: 'webhook' },
    },
    {
      method: 'POST',
      path: '/webhooks/orders/{channelId}',
      fn: 'storefrontWebhook',
      auth: { public: 'webhook' },
    },
    {
      method: 'GET',
      path: '/api/intake/exceptions',
      fn: 'listIntakeExceptions',
      auth: { roles: EXCEPTION_READERS },
    },
    {
      method: 'GET',
      path: '/api/intake/exceptions/{id}',
      fn: 'getIntakeException',
      auth: { roles: EXCEPTION_READERS },
    },
    {
      method: 'POST',
      path: '/api/intake/exceptions/{id}/replay',
      fn: 'replayIntakeException',
      auth: { roles: EXCEPTION_REPLAYERS },
    },
    {
      method: 'GET',
      path: '/api/intake/rejections',
      fn: 'listWebhookRejections',
      auth: { roles: EXCEPTION_REPLAYERS },
    },
    { method: 'GET', path: '/api/orders/{id}', fn: 'getOrder', auth: { roles: ORDER_READERS } },
    { method: 'GET', path: '/api/orders', fn: 'listOrders', auth: { roles: ORDER_READERS } },
    { method: 'GET', path: '/api/orders/counts', fn: 'getOrderCounts', auth: { roles: ORDER_READERS } },
    { method: 'GET', path: '/api/orders/backlog', fn: 'getOrderBacklog', auth: { roles: ORDER_READERS } },
    { method: 'POST', path: '/api/orders/{id}/cancel', fn: 'cancelOrder', auth: { roles: HOLD_MANAGERS } },
    { method: 'POST', path: '/api/orders/{id}/holds', fn: 'placeOrderHold', auth: { roles: HOLD_MANAGERS } },
    { method: 'POST', path: '/api/orders/{id}/retry', fn: 'retryOrder', auth: { roles: HOLD_MANAGERS } },
    {
      method: 'POST',
      path: '/api/orders/{id}/holds/{holdId}/release',
      fn: 'releaseOrderHold',
      auth: { roles: HOLD_MANAGERS },
    },
    { method: 'GET', path: '/api/routing-rules', fn: 'getRoutingRules', auth: { roles: RULE_READERS } },
    { method: 'PUT', path: '/api/routing-rules', fn: 'putRoutingRules', auth: { roles: RULE_EDITORS } },
    {
      method: 'POST',
      path: '/api/routing-rules/simulate',
      fn: 'simulateRouting',
      auth: { roles: RULE_EDITORS },
    },
  ],
  stateMachines: [
    {
      name: 'order-release',
      description: 'Holds → allocate (routing rules) → reserve → release to a node | backorder',
      functions: { ReleaseTaskFunctionArn: 'orderReleaseTask' },
    },
  ],
  streams: [
    {
      name: 'orders-outbox',
      description: 'Order writes → OrderReceived / OrderUpdated / OrderCancelled on the bus',
      fn: 'publishOrderEvents',
      batchSize: 100,
      // Order items only (ordersKeys.isOrder): the function is not invoked for the rest of the table.
      filters: [{ dynamodb: { Keys: { pk: { S: [{ prefix: 'ORDER#' }] }, sk: { S: ['ORDER'] } } } }],
    },
  ],
  rules: [
    {
      name: 'amazon-order-change',
      description: 'SP-API ORDER_CHANGE notifications forwarded from the partner event bus go to intake',
      pattern: SP_API_ORDER_CHANGE_PATTERN,
      target: { fn: 'amazonOrderChange' },
    },
    {
      name: 'order-release-fast',
      description: 'Each received order is released on the fast path (the durable workflow only when needed)',
      pattern: { source: [OrderReceived.source], 'detail-type': [OrderReceived.detailType] },
      target: { fn: 'releaseOrder' },
    },
    {
      name: 'order-release-order-updated',
      description:
        'A channel change to an order: clears a payment hold once paid, or raises an exception after allocation',
      pattern: { source: [OrderUpdated.source], 'detail-type': [OrderUpdated.detailType] },
      target: { fn: 'onOrderUpdated' },
    },
    {
      name: 'order-release-channel-cancelled',
      description: 'A channel cancellation releases the order’s reservations and ends a held workflow',
      pattern: { source: [OrderCancelled.source], 'detail-type': [OrderCancelled.detailType] },
      target: { fn: 'onOrderCancelled' },
    },
    {
      name: 'order-release-stock-arrived',
      description: 'Units came back (receipt, released reservation): retry that SKU’s backorders',
      pattern: {
        source: [StockReceived.source],
        'detail-type': [StockReceived.detailType, ReservationReleased.detailType],
      },
      target: { fn: 'retryBackorders' },
    },
    {
      name: 'order-release-stock-adjusted-up',
      description: 'A positive adjustment: retry that SKU’s backorders',
      pattern: {
        source: [StockAdjusted.source],
        'detail-type': [StockAdjusted.detailType],
        detail: { data: { delta: [{ numeric: ['>', 0] }] } },
      },
      target: { fn: 'retryBackorders' },
    },
    {
      name: 'order-follows-fulfillment',
      description: 'A wave, a packed parcel or a confirmed shipment moves the order’s status',
      pattern: {
        source: [WaveReleased.source],
        'detail-type': [WaveReleased.detailType, FulfillmentPacked.detailType, ShipmentConfirmed.detailType],
      },
      target: { fn: 'onFulfillmentProgress' },
    },
    {
      name: 'order-release-pick-shorted',
      description: 'Units a pick could not find go back through release: another node, else backorder',
      pattern: { source: [PickShorted.source], 'detail-type': [PickShorted.detailType] },
      target: { fn: 'onPickShorted' },
    },
  ],
};
