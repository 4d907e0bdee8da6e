import type { StoredThreePLConnection } from '#inventory/api';
import { ChannelCallFailed } from '../core/ports.ts';
import type { ThreePLClient, ThreePLOrder } from '../core/threepl-ports.ts';
import { DEFAULT_RETRY, fetchWithRetry, type RetryPolicy } from './http-retry.ts';

const base = (c: StoredThreePLConnection) => c.apiBaseUrl.replace(/\/+$/, '');

/**
 * POSTs `body` with the retry helper (429 waits Retry-After, 5xx and timeouts back off). An
 * answer `isDuplicate` recognizes (the 3PL already has our reference) is turned into a success
 * before the helper sees it, so it is neither retried nor failed: the order exists, which is
 * what the hand-off wanted.
 */
async function createWith(
  url: string,
  token: string | undefined,
  body: unknown,
  orderId: string,
  isDuplicate: (status: number, text: string) => boolean,
  policy: RetryPolicy,
): Promise<{ duplicate: boolean; answer: Record<string, unknown> }> {
  let duplicate = false;
  const res = await fetchWithRetry(async (signal) => {
    const r = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        // The 3PL (or a proxy) may also dedupe on it; our reference is the order id either way.
        'idempotency-key': orderId,
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify(body),
      signal,
    });
    if (r.status >= 400 && r.status < 500 && r.status !== 429) {
      const text = await r.text();
      if (isDuplicate(r.status, text)) {
        duplicate = true;
        return new Response(text || '{}', { status: 200 });
      }
      return new Response(text, { status: r.status, headers: r.headers });
    }
    return r;
  }, policy);
  let answer: Record<string, unknown> = {};
  try {
    const text = await res.text();
    answer = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    if (!duplicate) throw new ChannelCallFailed('The 3PL answered with something that is not JSON');
  }
  return { duplicate, answer };
}

const idOf = (answer: Record<string, unknown>, fallback: string) => {
  const id = answer.id ?? answer.orderId;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : fallback;
};

/**
 * The generic 3PL order API (docs/threepl-webhooks.md): `POST {apiBaseUrl}/orders` with our
 * `referenceId`, Bearer token; 201 `{ id }`, or 409 when it already has the reference.
 */
export function genericThreePLClient(policy: RetryPolicy = DEFAULT_RETRY): ThreePLClient {
  return {
    async createOrder(connection, token, order: ThreePLOrder) {
      const { answer } = await createWith(
        `${base(connection)}/orders`,
        token,
        {
          referenceId: order.orderId,
          channelId: order.channelId,
          externalId: order.externalId,
          serviceLevel: order.serviceLevel,
          shipTo: order.shipTo,
          lines: order.units,
        },
        order.orderId,
        (status) => status === 409,
        policy,
      );
      return idOf(answer, order.orderId);
    },
  };
}

/**
 * ShipBob's order API (2.0): `POST {apiBaseUrl}/order` with `reference_id` (unique per channel
 * at ShipBob), the recipient and products by reference id (our SKU). ShipBob refuses a reference
 * it already has (409, or 422 naming the reference id): that counts as created.
 */
export function shipBobClient(policy: RetryPolicy = DEFAULT_RETRY): ThreePLClient {
  return {
    async createOrder(connection, token, order) {
      const to = order.shipTo;
      const { answer } = await createWith(
        `${base(connection)}/order`,
        token,
        {
          reference_id: order.orderId,
          order_number: order.externalId,
          shipping_method: order.serviceLevel,
          recipient: to
            ? {
                name: to.name,
                ...(to.phone ? { phone_number: to.phone } : {}),
                address: {
                  address1: to.line1,
                  ...(to.line2 ? { address2: to.line2 } : {}),
                  ...(to.company ? { company_name: to.company } : {}),
                  city: to.city,
                  ...(to.region ? { state: to.region } : {}),
                  zip_code: to.postalCode,
                  country: to.country,
                },
              }
            : undefined,
          products: order.units.map((u) => ({ reference_id: u.sku, quantity: u.quantity })),
        },
        order.orderId,
        (status, text) => status === 409 || (status === 422 && /reference/i.test(text)),
        policy,
      );
      return idOf(answer, order.orderId);
    },
  };
}
