import { describe, expect, it } from 'vitest';
import { authenticateWebhook } from '../../functions/orders/intake/core/authenticate-webhook.ts';
import type { Channel } from '../../functions/orders/intake/schemas/channel.ts';
import type { SecretStore } from '../../functions/shared/secrets.ts';
import { hmacSha256, hmacSha256Matches } from '../../functions/shared/webhooks.ts';

const body = Buffer.from('{"id":5830119948521,"line_items":[]}');
const secret = 'shpss_unit_secret';

describe('HMAC-SHA256 verification', () => {
  it('accepts the sender signature in base64 (Shopify, WooCommerce) and sha256=<hex> (storefronts)', () => {
    expect(
      hmacSha256Matches({
        secret,
        payload: body,
        signature: hmacSha256(secret, body, 'base64'),
        encoding: 'base64',
      }),
    ).toBe(true);
    const hex = hmacSha256(secret, body, 'hex');
    expect(
      hmacSha256Matches({
        secret,
        payload: body,
        signature: `sha256=${hex}`,
        encoding: 'hex',
        prefix: 'sha256=',
      }),
    ).toBe(true);
    expect(
      hmacSha256Matches({
        secret,
        payload: body,
        signature: `SHA256=${hex.toUpperCase()}`,
        encoding: 'hex',
        prefix: 'sha256=',
      }),
    ).toBe(true);
  });

  it('refuses a signature over other bytes, with another secret, truncated, padded, missing or without its prefix', () => {
    const good = hmacSha256(secret, body, 'base64');
    const hex = hmacSha256(secret, body, 'hex');
    const cases: [string | undefined, 'base64' | 'hex', string?][] = [
      [hmacSha256(secret, Buffer.from(`${body} `), 'base64'), 'base64'],
      [hmacSha256('other', body, 'base64'), 'base64'],
      [good.slice(0, -4), 'base64'],
      [`${good}AAAA`, 'base64'],
      [undefined, 'base64'],
      ['', 'base64'],
      ['not base64 !!', 'base64'],
      [hex, 'hex', 'sha256='],
      [`sha256=${hex.slice(0, 63)}`, 'hex', 'sha256='],
      [`sha256=${hex}00`, 'hex', 'sha256='],
    ];
    for (const [signature, encoding, prefix] of cases) {
      expect(
        hmacSha256Matches({ secret, payload: body, signature, encoding, ...(prefix ? { prefix } : {}) }),
      ).toBe(false);
    }
  });

  it('verifies the raw bytes: re-serialised JSON with the same meaning does not verify', () => {
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(body.toString()), null, 1));
    expect(
      hmacSha256Matches({
        secret,
        payload: reserialised,
        signature: hmacSha256(secret, body, 'base64'),
        encoding: 'base64',
      }),
    ).toBe(false);
  });
});

describe('webhook authentication', () => {
  const channel: Channel = {
    channelId: 'shop-us',
    type: 'shopify',
    locationIds: [],
    secretRef: 'channels/shop-us/webhook',
    shopDomain: 'demo.myshopify.com',
    createdAt: '',
    updatedAt: '',
  };
  function ports(values: string[]) {
    const reads: (number | undefined)[] = [];
    const secrets: SecretStore = {
      async get(_name, opts) {
        reads.push(opts?.maxAgeMs);
        return values[Math.min(reads.length - 1, values.length - 1)];
      },
      async put() {},
    };
    return {
      ports: {
        channels: { getCached: async (id: string) => (id === 'shop-us' ? channel : undefined) },
        secrets,
      },
      reads,
    };
  }
  const headers = (s: string) => ({
    'x-shopify-hmac-sha256': hmacSha256(s, body, 'base64'),
    'x-shopify-shop-domain': 'demo.myshopify.com',
  });

  it('returns the channel for a valid signature', async () => {
    const { ports: p } = ports([secret]);
    expect(await authenticateWebhook(p, 'shopify', 'shop-us', body, headers(secret))).toEqual({
      ok: true,
      value: channel,
    });
  });

  it('names why a delivery is refused', async () => {
    const { ports: p } = ports([secret]);
    const reason = async (sender: 'shopify' | 'generic', id: string, h: Record<string, string>) => {
      const result = await authenticateWebhook(p, sender, id, body, h);
      return result.ok ? 'ok' : result.reason;
    };
    expect(await reason('shopify', 'shop-us', {})).toBe('missing-signature');
    expect(await reason('shopify', 'nope', headers(secret))).toBe('unknown-channel');
    expect(await reason('generic', 'shop-us', { 'x-qm-signature': 'sha256=00' })).toBe(
      'channel-type-mismatch',
    );
    expect(await reason('shopify', 'shop-us', headers('forged'))).toBe('bad-signature');
    expect(
      await reason('shopify', 'shop-us', {
        ...headers(secret),
        'x-shopify-shop-domain': 'evil.myshopify.com',
      }),
    ).toBe('shop-domain-mismatch');
  });

  it('re-reads a rotated secret once after a mismatch, bounded by age', async () => {
    const { ports: p, reads } = ports(['old-secret', 'new-secret']);
    const result = await authenticateWebhook(p, 'shopify', 'shop-us', body, headers('new-secret'));
    expect(result.ok).toBe(true);
    expect(reads).toEqual([undefined, 5000]);
  });
});
