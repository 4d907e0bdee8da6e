import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Channel } from '#orders/api';
import { ChannelCallFailed, type StockEntry, type StockWriter } from '../core/ports.ts';
import type { ShipmentNotice, ShipmentWriter } from '../core/ship-to-channel.ts';
import { DEFAULT_RETRY, fetchWithRetry, type RetryPolicy } from './http-retry.ts';

/**
 * Amazon Selling Partner API, called with plain `fetch`: the SDKs Amazon publishes for Node are
 * generated per API and pull in axios and a signing stack SP-API no longer needs (requests carry
 * only the LWA access token since 2023), for the six calls we make (docs/decisions.md).
 */

/** Login with Amazon's token service. */
export const AMAZON_DEFAULT_LWA_URL = 'https://api.amazon.com';
/** SP-API regional endpoints; the marketplace decides which one serves the seller. */
const ENDPOINTS = {
  na: 'https://sellingpartnerapi-na.amazon.com',
  eu: 'https://sellingpartnerapi-eu.amazon.com',
  fe: 'https://sellingpartnerapi-fe.amazon.com',
};
const EU_MARKETPLACES = new Set([
  'A1F83G8C2ARO7P',
  'A1PA6795UKMFR9',
  'A13V1IB3VIYZZH',
  'APJ6JRA9NG5V4',
  'A1RKKUPIHCS9HS',
  'A1805IZSGTT6HS',
  'AMEN7PMS3EDWL',
  'A28R8C7NBKEWEA',
  'A2NODRKZP88ZB9',
  'A1C3SOZRARQ6R3',
  'A33AVAJ2PDY3EV',
  'ARBP9OOSHTCHU',
  'A17E79C6D8DWNP',
  'A2VIGQ35RCS4UG',
  'AE08WJ6YKNBMC',
  'A21TJRUUN4KGV',
]);
const FE_MARKETPLACES = new Set(['A19VAU5U5O7RUS', 'A39IBJ37TRP1C6', 'A1VC38T7YXB528']);

export const amazonSellerId = (channel: Channel) => channel.connection?.sellerId ?? channel.sellerId;
export const amazonMarketplaceId = (channel: Channel) =>
  channel.connection?.marketplaceId ?? channel.marketplaceIds?.[0];

/** `apiBaseUrl`, or the regional endpoint of the channel's marketplace (North America by default). */
export function amazonBaseUrl(channel: Channel): string {
  if (channel.connection?.apiBaseUrl) return channel.connection.apiBaseUrl.replace(/\/+$/, '');
  const marketplace = amazonMarketplaceId(channel) ?? '';
  if (EU_MARKETPLACES.has(marketplace)) return ENDPOINTS.eu;
  if (FE_MARKETPLACES.has(marketplace)) return ENDPOINTS.fe;
  return ENDPOINTS.na;
}

interface LwaCredentials {
  lwaClientId: string;
  lwaClientSecret: string;
  refreshToken: string;
}

/** The channel's secret holds the three LWA values as JSON (put-channel stores them so). */
function credentialsOf(secret: string): LwaCredentials {
  try {
    const c = JSON.parse(secret) as Partial<LwaCredentials>;
    if (c.lwaClientId && c.lwaClientSecret && c.refreshToken) return c as LwaCredentials;
  } catch {
    // not JSON: an access token stored for another channel type
  }
  throw new ChannelCallFailed(
    'Amazon: the connection has no LWA credentials (lwaClientId, lwaClientSecret, refreshToken)',
  );
}

/** Access tokens per app × refresh token, until a minute before they expire (they live an hour). */
const tokens = new Map<string, Promise<{ token: string; expiresAt: number }>>();
const TOKEN_MARGIN_MS = 60_000;

async function lwaToken(
  channel: Channel,
  creds: LwaCredentials,
  policy: RetryPolicy,
  fresh = false,
): Promise<string> {
  const lwaUrl = (channel.connection?.lwaUrl ?? AMAZON_DEFAULT_LWA_URL).replace(/\/+$/, '');
  const key = createHash('sha256')
    .update(`${lwaUrl}\n${creds.lwaClientId}\n${creds.lwaClientSecret}\n${creds.refreshToken}`)
    .digest('hex');
  const cached = fresh ? undefined : tokens.get(key);
  if (cached) {
    const t = await cached.catch(() => undefined);
    if (t && t.expiresAt - TOKEN_MARGIN_MS > Date.now()) return t.token;
  }
  // One exchange at a time per key: concurrent pushes share it instead of each asking LWA.
  const pending = (async () => {
    const res = await fetchWithRetry(
      (signal) =>
        fetch(`${lwaUrl}/auth/o2/token`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8' },
          body: new URLSearchParams({
            grant_type: 'refresh_token',
            refresh_token: creds.refreshToken,
            client_id: creds.lwaClientId,
            client_secret: creds.lwaClientSecret,
          }).toString(),
          signal,
        }),
      policy,
    ).catch((error: unknown) => {
      throw new ChannelCallFailed(`Amazon LWA: ${(error as Error).message}`);
    });
    const body = (await res.json().catch(() => ({}))) as { access_token?: string; expires_in?: number };
    if (!body.access_token) throw new ChannelCallFailed('Amazon LWA answered without an access token');
    return { token: body.access_token, expiresAt: Date.now() + (body.expires_in ?? 3600) * 1000 };
  })();
  if (tokens.size > 100) tokens.clear();
  tokens.set(key, pending);
  pending.catch(() => tokens.delete(key));
  return (await pending).token;
}

/**
 * SP-API usage plans per operation (requests per second, burst), per seller × endpoint: calls
 * wait for a token instead of spending the seller's quota on 429s. A 429 still waits out its
 * `Retry-After` (or backs off) in fetchWithRetry.
 */
const PLANS = {
  patchListingsItem: { rate: 5, burst: 5 },
  getOrder: { rate: 0.5, burst: 30 },
  getOrderItems: { rate: 0.5, burst: 30 },
  getOrderAddress: { rate: 0.5, burst: 30 },
  confirmShipment: { rate: 2, burst: 10 },
  createRestrictedDataToken: { rate: 1, burst: 10 },
} as const;
export type AmazonOperation = keyof typeof PLANS;

const buckets = new Map<string, { tokens: number; at: number }>();

async function pace(key: string, op: AmazonOperation, maxWaitMs: number): Promise<void> {
  const { rate, burst } = PLANS[op];
  const id = `${key}\n${op}`;
  const now = Date.now();
  const b = buckets.get(id) ?? { tokens: burst, at: now };
  b.tokens = Math.min(burst, b.tokens + ((now - b.at) / 1000) * rate);
  b.at = now;
  // Take the token now (possibly going below zero) so concurrent callers queue behind each other.
  b.tokens -= 1;
  buckets.set(id, b);
  if (b.tokens < 0) await sleep(Math.min(maxWaitMs, Math.ceil((-b.tokens / rate) * 1000)));
}

export interface AmazonCall {
  op: AmazonOperation;
  method: 'GET' | 'POST' | 'PATCH';
  path: string;
  body?: unknown;
  /** A restricted data token instead of the LWA access token (PII paths). */
  accessToken?: string;
}

/**
 * One SP-API call: paced, with the LWA access token in `x-amz-access-token`, retried on 429/5xx.
 * A 403 with a cached token gets one fresh token and one more try (revoked or expired early).
 * Answers the parsed JSON (undefined for an empty answer) or throws ChannelCallFailed.
 */
export async function amazonRequest<T>(
  channel: Channel,
  secret: string,
  call: AmazonCall,
  policy: RetryPolicy = DEFAULT_RETRY,
): Promise<T> {
  const creds = credentialsOf(secret);
  const base = amazonBaseUrl(channel);
  for (let fresh = false; ; fresh = true) {
    const token = call.accessToken ?? (await lwaToken(channel, creds, policy, fresh));
    await pace(`${base}\n${amazonSellerId(channel) ?? creds.lwaClientId}`, call.op, policy.maxRetryAfterMs);
    let res: Response;
    try {
      res = await fetchWithRetry(
        (signal) =>
          fetch(`${base}${call.path}`, {
            method: call.method,
            headers: {
              'x-amz-access-token': token,
              accept: 'application/json',
              'user-agent': 'Quartermaster/1.0 (Language=TypeScript)',
              ...(call.body === undefined ? {} : { 'content-type': 'application/json' }),
            },
            ...(call.body === undefined ? {} : { body: JSON.stringify(call.body) }),
            signal,
          }),
        policy,
      );
    } catch (error) {
      if (!fresh && !call.accessToken && /^HTTP 403/.test((error as Error).message)) continue;
      throw new ChannelCallFailed(`Amazon ${call.op}: ${(error as Error).message}`);
    }
    const text = await res.text();
    if (!text) return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new ChannelCallFailed(`Amazon ${call.op} answered with something that is not JSON`);
    }
  }
}

function requireIds(channel: Channel): { sellerId: string; marketplaceId: string } {
  const sellerId = amazonSellerId(channel);
  const marketplaceId = amazonMarketplaceId(channel);
  if (!sellerId || !marketplaceId)
    throw new ChannelCallFailed('Amazon: the channel names no sellerId or marketplaceId');
  return { sellerId, marketplaceId };
}

interface ListingsPatchAnswer {
  sku: string;
  status: 'ACCEPTED' | 'INVALID' | string;
  submissionId?: string;
  issues?: { code: string; message: string; severity?: string }[];
}

/**
 * Amazon stock: one Listings Items `PATCH` per listed seller SKU, replacing its
 * `fulfillment_availability` with our number (merchant-fulfilled: channel code DEFAULT). The
 * API has no batch form for this; the usage plan (5/s) paces the calls.
 */
export function amazonStockWriter(policy: RetryPolicy = DEFAULT_RETRY): StockWriter {
  return {
    async setStock(channel, secret, entries: readonly StockEntry[]) {
      const { sellerId, marketplaceId } = requireIds(channel);
      for (const e of entries)
        for (const l of e.listings) {
          const answer = await amazonRequest<ListingsPatchAnswer>(
            channel,
            secret,
            {
              op: 'patchListingsItem',
              method: 'PATCH',
              path: `/listings/2021-08-01/items/${encodeURIComponent(sellerId)}/${encodeURIComponent(l.externalId)}?marketplaceIds=${encodeURIComponent(marketplaceId)}`,
              body: {
                // Amazon's generic product type: enough for an offer-only (quantity) patch.
                productType: 'PRODUCT',
                patches: [
                  {
                    op: 'replace',
                    path: '/attributes/fulfillment_availability',
                    value: [{ fulfillment_channel_code: 'DEFAULT', quantity: e.quantity }],
                  },
                ],
              },
            },
            policy,
          );
          if (answer?.status !== 'ACCEPTED') {
            const issues = (answer?.issues ?? []).map((i) => `${i.code} ${i.message}`).join('; ');
            throw new ChannelCallFailed(
              `Amazon: ${l.externalId} ${answer?.status ?? 'no answer'}: ${issues}`,
            );
          }
        }
    },
  };
}

/** Amazon's carrier codes for the carriers it names; anything else is `Other` with its name. */
const CARRIER_CODES: Record<string, string> = {
  ups: 'UPS',
  usps: 'USPS',
  fedex: 'FedEx',
  dhl: 'DHL',
  'dhl express': 'DHL',
  ontrac: 'OnTrac',
  'amazon shipping': 'Amazon Shipping',
  'royal mail': 'Royal Mail',
  'canada post': 'Canada Post',
  'australia post': 'Australia Post',
  dpd: 'DPD',
  gls: 'GLS',
  hermes: 'Hermes',
  correios: 'Correios',
};

/** `packageReferenceId` must be a positive number, unique within the order: derived from our shipment id. */
export const packageReferenceId = (shipmentId: string) =>
  String(Number.parseInt(createHash('sha256').update(shipmentId).digest('hex').slice(0, 12), 16) + 1);

/** An Orders API order item: the fields we read, and the rest as Amazon sent it. */
type OrderItem = { OrderItemId: string; QuantityOrdered: number; QuantityShipped?: number } & Record<
  string,
  unknown
>;

/** Every item of an order, all pages (`NextToken`). */
export async function amazonOrderItems(
  channel: Channel,
  secret: string,
  amazonOrderId: string,
  policy?: RetryPolicy,
): Promise<OrderItem[]> {
  const items: OrderItem[] = [];
  let next: string | undefined;
  do {
    const query = next ? `?NextToken=${encodeURIComponent(next)}` : '';
    const answer = await amazonRequest<{ payload?: { OrderItems?: OrderItem[]; NextToken?: string } }>(
      channel,
      secret,
      {
        op: 'getOrderItems',
        method: 'GET',
        path: `/orders/v0/orders/${encodeURIComponent(amazonOrderId)}/orderItems${query}`,
      },
      policy,
    );
    items.push(...(answer?.payload?.OrderItems ?? []));
    next = answer?.payload?.NextToken;
  } while (next);
  return items;
}

/**
 * Amazon: `shipmentConfirmation` with the package (carrier, tracking, ship date, the order items
 * and quantities). Our lines of an Amazon order carry its `OrderItemId` as line id. When every
 * item of the shipment already shows shipped (a retry after a crash between the call and our
 * record of it), nothing is sent again.
 */
export function amazonShipmentWriter(policy: RetryPolicy = DEFAULT_RETRY): ShipmentWriter {
  return {
    async confirm(channel: Channel, secret: string, shipment: ShipmentNotice) {
      const { marketplaceId } = requireIds(channel);
      const orderId = shipment.externalId;
      const items = await amazonOrderItems(channel, secret, orderId, policy);
      const byId = new Map(items.map((i) => [i.OrderItemId, i]));
      const quantities = new Map<string, number>();
      for (const l of shipment.lines) quantities.set(l.lineId, (quantities.get(l.lineId) ?? 0) + l.quantity);
      const unknown = [...quantities.keys()].filter((id) => !byId.has(id));
      if (unknown.length)
        throw new ChannelCallFailed(`Amazon order ${orderId} has no item ${unknown.join(', ')}`);
      const reference = `${orderId}/${packageReferenceId(shipment.shipmentId)}`;
      const open = [...quantities.keys()].filter((id) => {
        const item = byId.get(id);
        return (item?.QuantityShipped ?? 0) < (item?.QuantityOrdered ?? 0);
      });
      if (open.length === 0) return reference;
      const code = CARRIER_CODES[shipment.carrier.trim().toLowerCase()];
      await amazonRequest(
        channel,
        secret,
        {
          op: 'confirmShipment',
          method: 'POST',
          path: `/orders/v0/orders/${encodeURIComponent(orderId)}/shipmentConfirmation`,
          body: {
            marketplaceId,
            packageDetail: {
              packageReferenceId: packageReferenceId(shipment.shipmentId),
              carrierCode: code ?? 'Other',
              ...(code ? {} : { carrierName: shipment.carrier }),
              shippingMethod: shipment.service,
              trackingNumber: shipment.trackingNumber,
              shipDate: shipment.shippedAt,
              orderItems: [...quantities].map(([orderItemId, quantity]) => ({ orderItemId, quantity })),
            },
          },
        },
        policy,
      );
      return reference;
    },
  };
}
