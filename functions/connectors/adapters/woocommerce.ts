import type { Channel } from '#orders/api';
import { ChannelCallFailed, type StockEntry, type StockWriter } from '../core/ports.ts';
import type { ShipmentWriter } from '../core/ship-to-channel.ts';
import { DEFAULT_RETRY, fetchWithRetry, type RetryPolicy } from './http-retry.ts';

/** WooCommerce batch endpoints take at most 100 objects per request. */
const MAX_BATCH = 100;

/** `{apiBaseUrl}/wp-json/wc/{apiVersion ?? v3}`. */
const restBase = (channel: Channel) =>
  `${(channel.connection?.apiBaseUrl ?? '').replace(/\/+$/, '')}/wp-json/wc/${channel.connection?.apiVersion ?? 'v3'}`;

/**
 * The REST key pair as `ck_…:cs_…` in the access token, sent as HTTP Basic (WooCommerce's
 * scheme over HTTPS). No maintained Node client fits: the official one wraps axios for the same
 * two calls (see docs/decisions.md).
 */
const authorization = (token: string) => `Basic ${Buffer.from(token).toString('base64')}`;

/** A WooCommerce REST call with retries; answers the parsed JSON or throws ChannelCallFailed. */
export async function wooRequest<T>(
  channel: Channel,
  token: string,
  method: 'GET' | 'POST' | 'PUT',
  path: string,
  body: unknown,
  policy: RetryPolicy = DEFAULT_RETRY,
): Promise<T> {
  const res = await fetchWithRetry(
    (signal) =>
      fetch(`${restBase(channel)}${path}`, {
        method,
        headers: {
          authorization: authorization(token),
          'content-type': 'application/json',
          accept: 'application/json',
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal,
      }),
    policy,
  );
  try {
    return (await res.json()) as T;
  } catch {
    throw new ChannelCallFailed('WooCommerce answered with something that is not JSON');
  }
}

interface BatchAnswer {
  update?: { id: number; error?: { code: string; message: string } }[];
}

/**
 * WooCommerce stock: `stock_quantity` with `manage_stock`, batched — products through
 * `products/batch`, variations through their parent's `variations/batch`.
 */
export function wooStockWriter(policy: RetryPolicy = DEFAULT_RETRY): StockWriter {
  return {
    async setStock(channel, token, entries: readonly StockEntry[]) {
      const groups = new Map<string, { id: number; stock_quantity: number; manage_stock: true }[]>();
      for (const e of entries)
        for (const l of e.listings) {
          const id = Number(l.externalId);
          if (!Number.isInteger(id)) continue;
          const path = l.parentId ? `/products/${l.parentId}/variations/batch` : '/products/batch';
          const group = groups.get(path) ?? [];
          group.push({ id, stock_quantity: e.quantity, manage_stock: true });
          groups.set(path, group);
        }
      for (const [path, updates] of groups)
        for (let i = 0; i < updates.length; i += MAX_BATCH) {
          const answer = await wooRequest<BatchAnswer>(
            channel,
            token,
            'POST',
            path,
            { update: updates.slice(i, i + MAX_BATCH) },
            policy,
          );
          const failed = (answer.update ?? []).filter((u) => u.error);
          if (failed.length)
            throw new ChannelCallFailed(
              `WooCommerce: ${failed.map((u) => `${u.id}: ${u.error?.message ?? u.error?.code}`).join('; ')}`,
            );
        }
    },
  };
}

/** WooCommerce: the order `completed`, and a customer note with the carrier and tracking. */
export function wooShipmentWriter(policy: RetryPolicy = DEFAULT_RETRY): ShipmentWriter {
  return {
    async confirm(channel, token, shipment) {
      const id = encodeURIComponent(shipment.externalId);
      await wooRequest(channel, token, 'PUT', `/orders/${id}`, { status: 'completed' }, policy);
      const tracking = shipment.trackingUrl ? ` (${shipment.trackingUrl})` : '';
      const note = `Shipped with ${shipment.carrier} ${shipment.service}: tracking ${shipment.trackingNumber}${tracking}`;
      const answer = await wooRequest<{ id: number }>(
        channel,
        token,
        'POST',
        `/orders/${id}/notes`,
        { note, customer_note: true },
        policy,
      );
      return `note:${answer.id}`;
    },
  };
}
