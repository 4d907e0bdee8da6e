import { z } from 'zod';
import type { HttpResult } from '#shared/http';
import { type WebhookRequest, webhookHandler } from '#shared/webhooks';
import { intakePorts } from '../adapters/wiring.ts';
import { authenticateWebhook, type WebhookSender } from '../core/authenticate-webhook.ts';
import { isReturnTopic } from '../core/normalize/channel-returns.ts';
import { receiveDelivery } from '../core/receive-delivery.ts';
import { forwardWooRefunds, receiveReturnDelivery } from '../core/receive-return.ts';
import { channelId } from '../schemas/channel.ts';
import { bodyDeliveryId, intakeResponse, type ResponsePolicy } from './intake-responses.ts';

export interface ChannelWebhookSpec {
  sender: WebhookSender;
  /** Header carrying the sender's delivery id (same on retries). */
  deliveryIdHeader: string;
  topicHeader?: string;
  policy: ResponsePolicy;
  preflight?: (req: WebhookRequest<{ channelId: string }>) => HttpResult | undefined;
}

/**
 * The primary adapter shared by the three webhook routes:
 * 1. verify the signature on the raw body (401 otherwise; counted, and sampled as a rejection
 *    record, for channels that exist)
 * 2. hand the delivery to intake  3. answer by the sender's retry semantics
 */
export function channelWebhookHandler(spec: ChannelWebhookSpec) {
  const { intake, channels, secrets, rejections } = intakePorts();
  return webhookHandler(
    {
      sender: spec.sender,
      params: z.object({ channelId }),
      ...(spec.preflight ? { preflight: spec.preflight } : {}),
      authenticate: (req) =>
        authenticateWebhook(
          { channels, secrets },
          spec.sender,
          req.params.channelId,
          req.rawBody,
          req.headers,
        ),
      onRejected: async (req, reason) => {
        // Only real channels are counted: a made-up channel id must not create rows (the answer
        // is the same 401 either way). The lookup is the cached one authentication uses.
        if (reason === 'unknown-channel') return;
        if (!(await channels.getCached(req.params.channelId))) return;
        await rejections.record({
          sender: spec.sender,
          channelId: req.params.channelId,
          reason,
          receivedAt: req.receivedAt.toISOString(),
          ...(req.sourceIp ? { sourceIp: req.sourceIp } : {}),
          headers: req.headers,
          rawBody: req.rawBody,
        });
      },
    },
    async (req, channel) => {
      const topic = spec.topicHeader ? req.headers[spec.topicHeader] : undefined;
      const delivery = {
        source: spec.sender,
        channel,
        channelKey: channel.channelId,
        deliveryId: req.headers[spec.deliveryIdHeader]?.trim() || bodyDeliveryId(req.rawBody),
        ...(topic ? { topic } : {}),
        rawBody: req.rawBody.toString('utf8'),
        receivedAt: req.receivedAt.toISOString(),
      };
      const ctx = { correlationId: req.correlationId };
      // Returns and refunds are the returns context's: handed over on the bus, not taken as orders.
      const result = isReturnTopic(spec.sender, topic)
        ? await receiveReturnDelivery(intake, delivery, ctx)
        : await receiveDelivery(intake, delivery, ctx);
      // WooCommerce has no refund topic: a refund arrives as an order update listing it.
      if (spec.sender === 'woocommerce' && result.outcome.kind !== 'exception')
        await forwardWooRefunds(intake, delivery, req.correlationId);
      return intakeResponse(spec.policy, result);
    },
  );
}
