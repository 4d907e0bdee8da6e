import { setTimeout as sleep } from 'node:timers/promises';
import { type AdminApiClient, createAdminApiClient } from '@shopify/admin-api-client';
import type { Channel } from '#orders/api';
import { ChannelCallFailed, type StockEntry, type StockWriter } from '../core/ports.ts';
import { DEFAULT_RETRY, fetchWithRetry, type RetryPolicy } from './http-retry.ts';

/** The Admin API version used when the connection names none. */
export const SHOPIFY_DEFAULT_API_VERSION = '2025-07';
/** Quantities per `inventorySetQuantities` call (Shopify accepts up to 250). */
const MAX_QUANTITIES = 250;
/** THROTTLED answers waited out per call before it counts as a failure. */
const MAX_THROTTLED = 5;

interface CostExtension {
  requestedQueryCost?: number;
  actualQueryCost?: number;
  throttleStatus?: { maximumAvailable: number; currentlyAvailable: number; restoreRate: number };
}
interface GraphQlAnswer<T> {
  data?: T;
  errors?: { message: string; extensions?: { code?: string } }[];
  extensions?: { cost?: CostExtension };
}

/**
 * Shopify's leaky bucket as last reported per shop (`extensions.cost.throttleStatus`): before a
 * call whose cost the bucket cannot cover, wait until it has restored enough.
 */
const buckets = new Map<string, { available: number; restoreRate: number; maximum: number; at: number }>();

function bucketWaitMs(shop: string, cost: number): number {
  const b = buckets.get(shop);
  if (!b) return 0;
  const now = Date.now();
  const available = Math.min(b.maximum, b.available + ((now - b.at) / 1000) * b.restoreRate);
  return available >= cost ? 0 : Math.ceil(((cost - available) / b.restoreRate) * 1000);
}

function noteCost(shop: string, cost: CostExtension | undefined) {
  const t = cost?.throttleStatus;
  if (t && t.restoreRate > 0)
    buckets.set(shop, {
      available: t.currentlyAvailable,
      restoreRate: t.restoreRate,
      maximum: t.maximumAvailable,
      at: Date.now(),
    });
}

/** `{apiBaseUrl}` or `https://{shopDomain}`: where the Admin API is reached. */
export function shopifyBaseUrl(channel: Channel): string {
  const base = channel.connection?.apiBaseUrl ?? `https://${channel.shopDomain}`;
  return base.replace(/\/+$/, '');
}

const clients = new Map<string, AdminApiClient>();

/**
 * The maintained client builds the request (headers, version path); it always targets
 * `https://<domain>`, so a custom fetch swaps that origin for the configured `apiBaseUrl`
 * (a proxy or a test server) and our own retry loop handles 429/5xx with back-off.
 */
function clientFor(channel: Channel, token: string): AdminApiClient {
  const base = shopifyBaseUrl(channel);
  const apiVersion = channel.connection?.apiVersion ?? SHOPIFY_DEFAULT_API_VERSION;
  const key = `${channel.channelId}\n${base}\n${apiVersion}\n${token}`;
  let client = clients.get(key);
  if (!client) {
    const storeDomain = new URL(base).host;
    client = createAdminApiClient({
      storeDomain,
      apiVersion,
      accessToken: token,
      retries: 0,
      // A version newer or older than the library knows is the operator's choice, not an error.
      logger: () => undefined,
      customFetchApi: (url, init) => {
        const u = new URL(url);
        return fetch(`${base}${u.pathname}${u.search}`, init as RequestInit);
      },
    });
    if (clients.size > 100) clients.clear();
    clients.set(key, client);
  }
  return client;
}

/** One GraphQL call with Shopify's throttle obeyed; answers `data` or throws ChannelCallFailed. */
export async function shopifyGraphql<T>(
  channel: Channel,
  token: string,
  query: string,
  variables: Record<string, unknown>,
  estimatedCost = 10,
  policy: RetryPolicy = DEFAULT_RETRY,
): Promise<T> {
  const client = clientFor(channel, token);
  const shop = shopifyBaseUrl(channel);
  for (let throttled = 0; ; throttled++) {
    const wait = bucketWaitMs(shop, estimatedCost);
    if (wait > 0) await sleep(Math.min(wait, policy.maxRetryAfterMs));
    const res = await fetchWithRetry((signal) => client.fetch(query, { variables, signal }), policy);
    let answer: GraphQlAnswer<T>;
    try {
      answer = (await res.json()) as GraphQlAnswer<T>;
    } catch {
      throw new ChannelCallFailed('Shopify answered with something that is not JSON');
    }
    noteCost(shop, answer.extensions?.cost);
    const isThrottled = answer.errors?.some((e) => e.extensions?.code === 'THROTTLED');
    if (isThrottled && throttled < MAX_THROTTLED) {
      const cost = answer.extensions?.cost;
      estimatedCost = cost?.requestedQueryCost ?? estimatedCost;
      const t = cost?.throttleStatus;
      const ms = t
        ? Math.ceil(((estimatedCost - t.currentlyAvailable) / t.restoreRate) * 1000)
        : policy.backoffMs;
      await sleep(Math.min(Math.max(ms, 50), policy.maxRetryAfterMs));
      continue;
    }
    if (answer.errors?.length || !answer.data)
      throw new ChannelCallFailed(`Shopify: ${answer.errors?.map((e) => e.message).join('; ') ?? 'no data'}`);
    return answer.data;
  }
}

const SET_QUANTITIES = `mutation SetAvailable($input: InventorySetQuantitiesInput!) {
  inventorySetQuantities(input: $input) {
    inventoryAdjustmentGroup { id }
    userErrors { field message code }
  }
}`;

/** Shopify stock: `inventorySetQuantities` (name "available") per listed item × mapped location. */
export function shopifyStockWriter(policy: RetryPolicy = DEFAULT_RETRY): StockWriter {
  return {
    async setStock(channel, token, entries: readonly StockEntry[]) {
      const map = channel.connection?.locationMap ?? {};
      const quantities = entries.flatMap((e) =>
        e.listings
          .filter((l) => l.inventoryItemId)
          .flatMap((l) =>
            [...e.byLocation].map(([loc, quantity]) => ({
              inventoryItemId: l.inventoryItemId as string,
              locationId: map[loc] as string,
              quantity,
            })),
          ),
      );
      for (let i = 0; i < quantities.length; i += MAX_QUANTITIES) {
        const chunk = quantities.slice(i, i + MAX_QUANTITIES);
        const data = await shopifyGraphql<{
          inventorySetQuantities: { userErrors: { field?: string[]; message: string; code?: string }[] };
        }>(
          channel,
          token,
          SET_QUANTITIES,
          {
            // Absolute numbers from our record: Shopify's compare-and-set is not what we want here.
            input: {
              name: 'available',
              reason: 'correction',
              ignoreCompareQuantity: true,
              quantities: chunk,
            },
          },
          10,
          policy,
        );
        const errors = data.inventorySetQuantities.userErrors;
        if (errors.length) throw new ChannelCallFailed(`Shopify: ${errors.map((e) => e.message).join('; ')}`);
      }
    },
  };
}
