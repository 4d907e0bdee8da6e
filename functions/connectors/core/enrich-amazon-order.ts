import type { AmazonOrderDetails, Channel, takeAmazonOrderDetails } from '#orders/api';

type DetailsRequest = Omit<Parameters<typeof takeAmazonOrderDetails>[0], 'details'> & {
  amazonOrderId: string;
};

export interface EnrichPorts {
  channels: { get(channelId: string): Promise<Channel | undefined> };
  secrets: { get(name: string): Promise<string | undefined> };
  fetchOrder(channel: Channel, secret: string, amazonOrderId: string): Promise<AmazonOrderDetails>;
  take: typeof takeAmazonOrderDetails;
}

export type EnrichOutcome = 'enriched' | 'not-connected';

/**
 * An ORDER_CHANGE for an order we do not have in full: the order, its items and address come
 * from the Orders API and go through intake with the notification. A channel whose credentials
 * are gone meanwhile gets the notification as it is (the order waits on an address hold). A
 * failing Orders API throws (ChannelCallFailed), so the bus retries and finally dead-letters it
 * for replay: an order is never taken without the details it could have had.
 */
export async function enrichAmazonOrder(
  ports: EnrichPorts,
  request: DetailsRequest,
  correlationId: string,
): Promise<EnrichOutcome> {
  const { amazonOrderId, ...delivery } = request;
  const channel = await ports.channels.get(request.channelId);
  const tokenRef = channel?.type === 'amazon' ? channel.connection?.tokenRef : undefined;
  const secret = tokenRef ? await ports.secrets.get(tokenRef) : undefined;
  if (!channel || !secret) {
    await ports.take(delivery, correlationId);
    return 'not-connected';
  }
  const details = await ports.fetchOrder(channel, secret, amazonOrderId);
  await ports.take({ ...delivery, details }, correlationId);
  return 'enriched';
}
