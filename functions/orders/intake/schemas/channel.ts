import { z } from 'zod';
import { skuCode } from '#catalog/api';
import { MAX_BUCKET_UNITS } from '#shared/bounds';

export const CHANNEL_TYPES = ['shopify', 'woocommerce', 'amazon', 'generic'] as const;
export type ChannelType = (typeof CHANNEL_TYPES)[number];

/** Channel ids end up in URLs, keys and SSM parameter names: keep them to safe characters. */
export const channelId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, ".", "_" or "-"');

export const locationId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, ".", "_" or "-"');

/** A count of units compared with a position's available: 0 … MAX_BUCKET_UNITS (#shared/bounds). */
const units = z.number().int().nonnegative().max(MAX_BUCKET_UNITS);

/** How much of the available stock a channel is shown (computed by inventory). */
export const exposureRule = z
  .object({
    percent: z.number().min(0).max(100).optional().describe('share of available exposed, 0–100'),
    buffer: units.optional().describe('units held back before exposing'),
    cap: units.optional().describe('never expose more than this'),
    floor: units.optional().describe('below this many available, expose 0'),
  })
  .strict();

/**
 * How connectors reach the channel's own API (stock push, shipments). `accessToken` goes to the
 * SecretStore like the webhook secret and is never returned; omitted on update it is kept.
 */
export const channelConnection = z
  .object({
    /** Origin of the channel's API; Shopify defaults to `https://{shopDomain}` (a proxy or test server overrides it). */
    apiBaseUrl: z
      .string()
      .url()
      .max(500)
      .regex(/^https?:\/\//, 'an http(s) URL')
      .optional(),
    accessToken: z.string().min(1).max(4096).optional(),
    /** Shopify: `YYYY-MM`; WooCommerce: the REST namespace version (`v3`). */
    apiVersion: z
      .string()
      .regex(/^(\d{4}-\d{2}|v\d+)$/, 'YYYY-MM or vN')
      .optional(),
    /** Our location id → the channel's location id (Shopify `gid://shopify/Location/…`). */
    locationMap: z.record(locationId, z.string().min(1).max(255)).optional(),
    /**
     * Amazon SP-API: the Login with Amazon app credentials and the seller's refresh token. The
     * three come together and are kept in the SecretStore (as the access token is), never returned.
     */
    lwaClientId: z.string().min(1).max(512).optional(),
    lwaClientSecret: z.string().min(1).max(4096).optional(),
    refreshToken: z.string().min(1).max(4096).optional(),
    /** Amazon: the LWA token service's origin (default `https://api.amazon.com`). */
    lwaUrl: z
      .string()
      .url()
      .max(500)
      .regex(/^https?:\/\//, 'an http(s) URL')
      .optional(),
    /** Amazon: the selling partner id the Listings Items API writes under (default: the channel's `sellerId`). */
    sellerId: z.string().min(1).max(64).optional(),
    /** Amazon: the marketplace stock and shipments are written in (default: the channel's first `marketplaceIds`). */
    marketplaceId: z.string().min(1).max(32).optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    const lwa = [c.lwaClientId, c.lwaClientSecret, c.refreshToken].filter((v) => v !== undefined).length;
    if (lwa !== 0 && lwa !== 3)
      ctx.addIssue({
        code: 'custom',
        path: ['refreshToken'],
        message: 'lwaClientId, lwaClientSecret and refreshToken come together',
      });
    if (lwa > 0 && c.accessToken !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['accessToken'],
        message: 'an access token or LWA credentials, not both',
      });
  });

export const putChannelBody = z
  .object({
    type: z.enum(CHANNEL_TYPES),
    /**
     * The webhook shared secret as the sender issued it (Shopify app secret, WooCommerce webhook
     * secret, the storefront's signing key). Required when a channel is created, except for
     * Amazon (trust comes from the partner event source); omitted on update it is kept.
     */
    secret: z.string().min(1).max(4096).optional(),
    locationIds: z.array(locationId).max(100),
    exposure: exposureRule.optional(),
    priority: z.number().int().min(0).max(1000).optional(),
    fraudThreshold: z.number().min(0).max(100).optional(),
    allowSplit: z.boolean().optional(),
    /** Shopify: when set, deliveries must carry this `X-Shopify-Shop-Domain`. */
    shopDomain: z.string().min(1).max(255).optional(),
    /** Amazon: the selling partner whose ORDER_CHANGE notifications belong to this channel. */
    sellerId: z.string().min(1).max(64).optional(),
    /** Amazon: restrict to these marketplaces (one channel per marketplace is common). */
    marketplaceIds: z.array(z.string().min(1).max(32)).max(50).optional(),
    connection: channelConnection.optional(),
  })
  .superRefine((body, ctx) => {
    if (new Set(body.locationIds).size !== body.locationIds.length) {
      ctx.addIssue({ code: 'custom', path: ['locationIds'], message: 'each location may appear once' });
    }
  });
export type PutChannelBody = z.infer<typeof putChannelBody>;

/** The stored channel: configuration only. The secret lives in the SecretStore under `secretRef`. */
export interface Channel {
  channelId: string;
  type: ChannelType;
  locationIds: string[];
  exposure?: z.infer<typeof exposureRule>;
  priority?: number;
  fraudThreshold?: number;
  allowSplit?: boolean;
  shopDomain?: string;
  sellerId?: string;
  marketplaceIds?: string[];
  /** Name of the webhook secret in the SecretStore; absent for Amazon channels. */
  secretRef?: string;
  secretUpdatedAt?: string;
  /** The connection without its token, which lives in the SecretStore under `tokenRef`. */
  connection?: StoredConnection;
  createdAt: string;
  updatedAt: string;
}

export interface StoredConnection {
  apiBaseUrl?: string;
  apiVersion?: string;
  locationMap?: Record<string, string>;
  lwaUrl?: string;
  sellerId?: string;
  marketplaceId?: string;
  tokenRef?: string;
  tokenUpdatedAt?: string;
}

export const listingExternalId = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[^\s#]+$/, 'no spaces or "#"');

export const putListingBody = z.object({
  sku: skuCode,
  /** Shopify: the variant's `gid://shopify/InventoryItem/…`, needed to set its stock. */
  inventoryItemId: z
    .string()
    .regex(/^gid:\/\/shopify\/InventoryItem\/\d+$/, 'gid://shopify/InventoryItem/<id>')
    .optional(),
  /** WooCommerce: the parent product id when `externalId` is a variation id. */
  parentId: z.string().regex(/^\d+$/, 'a product id').optional(),
});

export interface Listing {
  channelId: string;
  externalId: string;
  sku: string;
  inventoryItemId?: string;
  parentId?: string;
  createdAt: string;
  updatedAt: string;
}
