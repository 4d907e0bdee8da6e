import type { AmazonOrderDetails, Channel } from '#orders/api';
import { ChannelCallFailed } from '../core/ports.ts';
import { amazonOrderItems, amazonRequest } from './amazon.ts';
import type { RetryPolicy } from './http-retry.ts';

/**
 * An order from the Orders API v0: `getOrder`, every page of `getOrderItems`, and the address
 * through `getOrderAddress` — personal data, so it is read with a Restricted Data Token
 * (Tokens API) for that one path instead of the LWA access token.
 */
export async function fetchAmazonOrder(
  channel: Channel,
  secret: string,
  amazonOrderId: string,
  policy?: RetryPolicy,
): Promise<AmazonOrderDetails> {
  const path = `/orders/v0/orders/${encodeURIComponent(amazonOrderId)}`;
  const order = await amazonRequest<{ payload?: unknown }>(
    channel,
    secret,
    { op: 'getOrder', method: 'GET', path },
    policy,
  );
  if (!order?.payload) throw new ChannelCallFailed(`Amazon has no order ${amazonOrderId}`);
  const orderItems = await amazonOrderItems(channel, secret, amazonOrderId, policy);
  const rdt = await amazonRequest<{ restrictedDataToken?: string }>(
    channel,
    secret,
    {
      op: 'createRestrictedDataToken',
      method: 'POST',
      path: '/tokens/2021-03-01/restrictedDataToken',
      body: { restrictedResources: [{ method: 'GET', path: `${path}/address` }] },
    },
    policy,
  );
  if (!rdt?.restrictedDataToken) throw new ChannelCallFailed('Amazon gave no restricted data token');
  const address = await amazonRequest<{ payload?: { ShippingAddress?: unknown } }>(
    channel,
    secret,
    { op: 'getOrderAddress', method: 'GET', path: `${path}/address`, accessToken: rdt.restrictedDataToken },
    policy,
  );
  return { order: order.payload, orderItems, shippingAddress: address?.payload?.ShippingAddress ?? null };
}
