import { partnerEventHandler } from '../adapters/partner-event-handler.ts';
import { intakePorts } from '../adapters/wiring.ts';
import { unresolvedAmazonKey } from '../core/find-amazon-channel.ts';
import { receiveDelivery } from '../core/receive-delivery.ts';

const { intake, amazonChannelFor } = intakePorts();

/**
 * Rule target for SP-API ORDER_CHANGE notifications from the partner event source. Trust
 * comes from the event source (only Amazon can publish on it), so there is no signature; the
 * NotificationId is the delivery id. Unmappable notifications become intake exceptions.
 */
export const handler = partnerEventHandler(
  { name: 'amazonOrderChange', keyPath: 'detail.NotificationMetadata.NotificationId' },
  async (event) => {
    const rawBody = JSON.stringify(event.detail);
    const { channel, sellerId } = await amazonChannelFor(rawBody);
    const metadata = event.detail.NotificationMetadata as { NotificationId?: unknown } | undefined;
    const deliveryId =
      typeof metadata?.NotificationId === 'string' ? metadata.NotificationId : `event:${event.id}`;
    await receiveDelivery(
      intake,
      {
        source: 'amazon',
        channel,
        channelKey: channel?.channelId ?? unresolvedAmazonKey(sellerId),
        deliveryId,
        topic: event['detail-type'],
        rawBody,
        receivedAt: new Date().toISOString(),
      },
      { correlationId: deliveryId },
    );
  },
);
