import type { ContextManifest, Role } from './types.ts';

const CHANNEL_ADMINS: readonly Role[] = ['admin'];
const LISTING_EDITORS: readonly Role[] = ['admin', 'inventory-controller'];
const EXCEPTION_READERS: readonly Role[] = ['admin', 'supervisor', 'customer-service'];
const EXCEPTION_REPLAYERS: readonly Role[] = ['admin', 'supervisor'];
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
      entry: 'functions/orders/handlers/put-channel.ts',
      description:
        'PUT /api/channels/{channelId}: channel config; the webhook secret goes to the secret store',
      table: 'RW',
      publishes: true,
      readsSecrets: true,
      writesSecrets: true,
    },
    getChannel: {
      entry: 'functions/orders/handlers/get-channel.ts',
      description: 'GET /api/channels/{channelId}: channel config without its secret',
      table: 'R',
    },
    putChannelListing: {
      entry: 'functions/orders/handlers/put-listing.ts',
      description: 'PUT /api/channels/{channelId}/listings/{externalId}: channel id → SKU',
      table: 'RW',
    },
    shopifyWebhook: {
      entry: 'functions/orders/handlers/shopify-webhook.ts',
      description: 'POST /webhooks/shopify/{channelId}: verify, normalize, take once',
      table: 'RW',
      publishes: true,
      readsSecrets: true,
    },
    woocommerceWebhook: {
      entry: 'functions/orders/handlers/woocommerce-webhook.ts',
      description: 'POST /webhooks/woocommerce/{channelId}: verify, normalize, take once; answers the ping',
      table: 'RW',
      publishes: true,
      readsSecrets: true,
    },
    storefrontWebhook: {
      entry: 'functions/orders/handlers/storefront-webhook.ts',
      description: 'POST /webhooks/orders/{channelId}: canonical orders from custom storefronts',
      table: 'RW',
      publishes: true,
      readsSecrets: true,
    },
    amazonOrderChange: {
      entry: 'functions/orders/handlers/amazon-order-change.ts',
      description: 'SP-API ORDER_CHANGE notifications (partner event source) → canonical orders',
      table: 'RW',
      publishes: true,
    },
    publishOrderEvents: {
      entry: 'functions/orders/handlers/publish-order-events.ts',
      description: 'Orders outbox: publishes the event each order write carries, from the table stream',
      publishes: true,
    },
    listIntakeExceptions: {
      entry: 'functions/orders/handlers/list-intake-exceptions.ts',
      description: 'GET /api/intake/exceptions: verified deliveries that could not become orders',
      table: 'R',
    },
    replayIntakeException: {
      entry: 'functions/orders/handlers/replay-intake-exception.ts',
      description: 'POST /api/intake/exceptions/{id}/replay: run a stored delivery through intake again',
      table: 'RW',
      publishes: true,
    },
    listWebhookRejections: {
      entry: 'functions/orders/handlers/list-webhook-rejections.ts',
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
      description: 'GET /api/orders?channelId=&externalId=',
      table: 'R',
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
  ],
  streams: [
    {
      name: 'orders-outbox',
      description: 'Order writes → OrderReceived / OrderUpdated / OrderCancelled on the bus',
      fn: 'publishOrderEvents',
      batchSize: 100,
    },
  ],
  rules: [
    {
      name: 'amazon-order-change',
      description: 'SP-API ORDER_CHANGE notifications forwarded from the partner event bus go to intake',
      pattern: SP_API_ORDER_CHANGE_PATTERN,
      target: { fn: 'amazonOrderChange' },
    },
  ],
};
