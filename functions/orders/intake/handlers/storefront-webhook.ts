import { channelWebhookHandler } from './channel-webhook.ts';

/**
 * POST /webhooks/orders/{channelId}: custom storefronts post a canonical order, signed with
 * `X-QM-Signature: sha256=<hex HMAC-SHA256 of the raw body>`, deduplicated by `Idempotency-Key`.
 */
export const handler = channelWebhookHandler({
  sender: 'generic',
  deliveryIdHeader: 'idempotency-key',
  policy: 'strict',
});
