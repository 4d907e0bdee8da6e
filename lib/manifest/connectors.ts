import { ChannelResyncRequested } from '../../functions/connectors/events/channel-sync.ts';
import { ShipmentConfirmed } from '../../functions/fulfillment/events/shipment-confirmed.ts';
import { ChannelAvailabilityChanged } from '../../functions/inventory/events/channel-availability-changed.ts';
import { AmazonOrderDetailsRequested } from '../../functions/orders/events/amazon-order-details-requested.ts';
import { ThreePLOrderRequested } from '../../functions/orders/events/three-pl-order-requested.ts';
import { RefundRequested } from '../../functions/returns/events/refund-requested.ts';
import type { ContextManifest, Role } from './types.ts';

/** Channel connections are admin business (as the channel itself); a resync is too. */
const SYNC_ADMINS: readonly Role[] = ['admin'];
/** Whoever watches stock reads whether the channels have it. */
const SYNC_READERS: readonly Role[] = ['admin', 'supervisor', 'inventory-controller'];
/** Approving a 3PL reconciliation changes stock: the people who own stock numbers. */
const RECONCILERS: readonly Role[] = ['admin', 'inventory-controller'];
/** What a 3PL did with our orders: stock people and customer service. */
const THREE_PL_READERS: readonly Role[] = ['admin', 'supervisor', 'inventory-controller', 'customer-service'];

/** Connectors: our numbers and shipments out to the channels' own APIs. */
export const connectors: ContextManifest = {
  functions: {
    pushChannelStock: {
      entry: 'functions/connectors/handlers/on-channel-availability-changed.ts',
      urgency: 'order-flow',
      description:
        'ChannelAvailabilityChanged → the channel set to our latest number (Shopify, WooCommerce, Amazon)',
      table: 'RW',
      publishes: true,
      readsSecrets: true,
      timeoutSeconds: 30,
    },
    resyncChannelStock: {
      entry: 'functions/connectors/handlers/on-resync-requested.ts',
      description: 'ChannelResyncRequested → every pending SKU of the channel pushed, in batches',
      table: 'RW',
      publishes: true,
      readsSecrets: true,
      timeoutSeconds: 300,
    },
    sweepPendingStock: {
      entry: 'functions/connectors/handlers/sweep-pending-stock.ts',
      description: 'Schedule: pushes left pending (a failing channel, a push that died) are tried again',
      table: 'RW',
      publishes: true,
      readsSecrets: true,
      timeoutSeconds: 300,
    },
    requestChannelResync: {
      entry: 'functions/connectors/handlers/resync-channel.ts',
      description:
        'POST /api/channels/{channelId}/resync: every SKU pushed again (202), ChannelResyncRequested',
      table: 'RW',
      publishes: true,
    },
    confirmShipmentToChannel: {
      entry: 'functions/connectors/handlers/on-shipment-confirmed.ts',
      description:
        'ShipmentConfirmed → the channel told once: Shopify fulfillment, WooCommerce completed, Amazon confirmation',
      table: 'RW',
      readsSecrets: true,
      timeoutSeconds: 60,
    },
    postRefundToChannel: {
      entry: 'functions/connectors/handlers/on-refund-requested.ts',
      description:
        'RefundRequested → the channel refunds once per attempt (Shopify refundCreate, WooCommerce refunds), ChannelRefundPosted',
      table: 'RW',
      publishes: true,
      readsSecrets: true,
      timeoutSeconds: 60,
    },
    enrichAmazonOrder: {
      entry: 'functions/connectors/handlers/on-amazon-order-details-requested.ts',
      description:
        'AmazonOrderDetailsRequested → the order, items and address from the SP-API Orders API, through intake whole',
      table: 'RW',
      readsSecrets: true,
      timeoutSeconds: 60,
      /** Intake keeps an exception's body over 256 KB in S3, as the ORDER_CHANGE consumer does. */
      exportsBucket: 'RW',
    },
    getChannelSync: {
      entry: 'functions/connectors/handlers/get-sync-status.ts',
      description:
        'GET /api/channels/{channelId}/sync: healthy/degraded, last push, pending, recent failures',
      table: 'R',
    },
    handOffToThreePL: {
      entry: 'functions/connectors/handlers/on-three-pl-order-requested.ts',
      description:
        'ThreePLOrderRequested → the order created at the 3PL once (generic, ShipBob), by our reference',
      table: 'RW',
      publishes: true,
      readsSecrets: true,
      timeoutSeconds: 60,
    },
    threePLWebhook: {
      entry: 'functions/connectors/handlers/threepl-webhook.ts',
      description:
        'POST /webhooks/3pl/{locationId}: Standard Webhooks; shipped → ShipmentConfirmed, problems, snapshots → reconciliation',
      table: 'RW',
      publishes: true,
      readsSecrets: true,
      timeoutSeconds: 30,
    },
    threePLQueries: {
      entry: 'functions/connectors/handlers/threepl-queries.ts',
      description:
        'GET /api/reconciliations?locationId=&status= and GET /api/locations/{id}/3pl-orders: 3PL reads',
      table: 'R',
    },
    approveReconciliation: {
      entry: 'functions/connectors/handlers/approve-reconciliation.ts',
      description:
        'POST /api/reconciliations/{id}/approve: each difference posted as an adjustment at the node',
      table: 'RW',
      timeoutSeconds: 30,
    },
  },
  routes: [
    {
      method: 'POST',
      path: '/webhooks/3pl/{locationId}',
      fn: 'threePLWebhook',
      auth: { public: 'webhook' },
    },
    {
      method: 'GET',
      path: '/api/reconciliations',
      fn: 'threePLQueries',
      auth: { roles: SYNC_READERS },
    },
    {
      method: 'POST',
      path: '/api/reconciliations/{id}/approve',
      fn: 'approveReconciliation',
      auth: { roles: RECONCILERS },
    },
    {
      method: 'GET',
      path: '/api/locations/{id}/3pl-orders',
      fn: 'threePLQueries',
      auth: { roles: THREE_PL_READERS },
    },
    {
      method: 'POST',
      path: '/api/channels/{channelId}/resync',
      fn: 'requestChannelResync',
      auth: { roles: SYNC_ADMINS },
    },
    {
      method: 'GET',
      path: '/api/channels/{channelId}/sync',
      fn: 'getChannelSync',
      auth: { roles: SYNC_READERS },
    },
  ],
  rules: [
    {
      name: 'connectors-channel-availability',
      description: 'Each change of a channel’s number for a SKU is pushed to the channel',
      pattern: {
        source: [ChannelAvailabilityChanged.source],
        'detail-type': [ChannelAvailabilityChanged.detailType],
      },
      target: { fn: 'pushChannelStock' },
    },
    {
      name: 'connectors-channel-resync',
      description: 'A resync (asked for, or after a recovery) pushes every pending SKU of the channel',
      pattern: {
        source: [ChannelResyncRequested.source],
        'detail-type': [ChannelResyncRequested.detailType],
      },
      target: { fn: 'resyncChannelStock' },
    },
    {
      name: 'connectors-shipment-confirmed',
      description: 'Each shipment from our warehouses is confirmed to the channel the order came from',
      pattern: { source: [ShipmentConfirmed.source], 'detail-type': [ShipmentConfirmed.detailType] },
      target: { fn: 'confirmShipmentToChannel' },
    },
    {
      name: 'connectors-refund-requested',
      description: 'Each refund attempt of a return is posted to the channel the order came from',
      pattern: { source: [RefundRequested.source], 'detail-type': [RefundRequested.detailType] },
      target: { fn: 'postRefundToChannel' },
    },
    {
      name: 'connectors-amazon-order-details',
      description: 'An Amazon order known only from its notification is fetched from the Orders API',
      pattern: {
        source: [AmazonOrderDetailsRequested.source],
        'detail-type': [AmazonOrderDetailsRequested.detailType],
      },
      target: { fn: 'enrichAmazonOrder' },
    },
    {
      name: 'connectors-three-pl-order-requested',
      description: 'Each node part released to a 3PL is created as an order in the 3PL’s API',
      pattern: {
        source: [ThreePLOrderRequested.source],
        'detail-type': [ThreePLOrderRequested.detailType],
      },
      target: { fn: 'handOffToThreePL' },
    },
  ],
  schedules: [
    {
      name: 'connectors-stock-sweep',
      description: 'Retries stock pushes left pending; finds a degraded channel recovered',
      expression: 'rate(1 minute)',
      fn: 'sweepPendingStock',
    },
  ],
};
