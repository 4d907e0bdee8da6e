import type { SecretStore } from '#shared/secrets';
import { type Authentication, hmacSha256Matches } from '#shared/webhooks';
import type { Channel, ChannelType } from '../schemas/channel.ts';

/** How each HTTP sender signs: header, digest encoding, prefix (docs/decisions-intake.md). */
export const SIGNATURE_SCHEMES = {
  shopify: { header: 'x-shopify-hmac-sha256', encoding: 'base64' },
  woocommerce: { header: 'x-wc-webhook-signature', encoding: 'base64' },
  generic: { header: 'x-qm-signature', encoding: 'hex', prefix: 'sha256=' },
} as const satisfies Record<
  Exclude<ChannelType, 'amazon'>,
  { header: string; encoding: 'base64' | 'hex'; prefix?: string }
>;

export type WebhookSender = keyof typeof SIGNATURE_SCHEMES;

export interface WebhookAuthPorts {
  channels: { getCached(channelId: string): Promise<Channel | undefined> };
  secrets: SecretStore;
}

/** After a mismatch, a cached secret older than this is re-read once (rotation), no more often. */
const RECHECK_AFTER_MS = 5_000;

/**
 * Verifies that a webhook was signed with its channel's secret, on the raw bytes, before
 * anything parses them. The channel must exist and be of the route's type. A mismatch is
 * re-checked once against a fresh read of the secret, so a rotation takes effect at once
 * without letting forgeries force a secret read on every request.
 */
export async function authenticateWebhook(
  ports: WebhookAuthPorts,
  sender: WebhookSender,
  channelId: string,
  rawBody: Buffer,
  headers: Record<string, string>,
): Promise<Authentication<Channel>> {
  const scheme = SIGNATURE_SCHEMES[sender];
  const signature = headers[scheme.header];
  if (!signature) return { ok: false, reason: 'missing-signature' };
  const channel = await ports.channels.getCached(channelId);
  if (!channel) return { ok: false, reason: 'unknown-channel' };
  if (channel.type !== sender) return { ok: false, reason: 'channel-type-mismatch' };
  if (!channel.secretRef) return { ok: false, reason: 'no-secret' };

  const matches = (secret: string | undefined) =>
    secret !== undefined && hmacSha256Matches({ secret, payload: rawBody, signature, ...scheme });
  let verified = matches(await ports.secrets.get(channel.secretRef));
  if (!verified)
    verified = matches(await ports.secrets.get(channel.secretRef, { maxAgeMs: RECHECK_AFTER_MS }));
  if (!verified) return { ok: false, reason: 'bad-signature' };

  if (sender === 'shopify' && channel.shopDomain && headers['x-shopify-shop-domain'] !== channel.shopDomain) {
    return { ok: false, reason: 'shop-domain-mismatch' };
  }
  return { ok: true, value: channel };
}
