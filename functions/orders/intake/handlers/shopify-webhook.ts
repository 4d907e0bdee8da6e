import { channelWebhookHandler } from './channel-webhook.ts';

/** POST /webhooks/shopify/{channelId}: orders/create, orders/updated, orders/cancelled. */
export const handler = channelWebhookHandler({
  sender: 'shopify',
  deliveryIdHeader: 'x-shopify-webhook-id',
  topicHeader: 'x-shopify-topic',
  policy: 'acknowledge',
});
