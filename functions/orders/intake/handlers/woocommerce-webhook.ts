import { ok } from '#shared/http';
import { channelWebhookHandler } from './channel-webhook.ts';

/**
 * WooCommerce pings a delivery URL when a webhook is saved: an unsigned form body
 * `webhook_id=<n>`, and the webhook is only activated if the answer is 200. Recognised from
 * the raw bytes alone (no signature header, exactly that body); it writes nothing.
 */
const PING = /^webhook_id=\d+$/;

/** POST /webhooks/woocommerce/{channelId}: order.created, order.updated (and the ping). */
export const handler = channelWebhookHandler({
  sender: 'woocommerce',
  deliveryIdHeader: 'x-wc-webhook-delivery-id',
  topicHeader: 'x-wc-webhook-topic',
  policy: 'acknowledge',
  preflight: (req) =>
    !req.headers['x-wc-webhook-signature'] &&
    req.rawBody.length < 64 &&
    PING.test(req.rawBody.toString('latin1').trim())
      ? ok({ status: 'pong' })
      : undefined,
});
