import { derivedEvent } from '#shared/events';
import { AmazonOrderDetailsRequested } from '../../events/amazon-order-details-requested.ts';
import { orderIdFor } from '../../keys.ts';
import { partnerEventHandler } from '../adapters/partner-event-handler.ts';
import { intakePorts } from '../adapters/wiring.ts';
import { amazonDetailsWanted, knownInFull } from '../core/amazon-details-request.ts';
import { unresolvedAmazonKey } from '../core/find-amazon-channel.ts';
import { receiveDelivery } from '../core/receive-delivery.ts';

const { intake, amazonChannelFor, events } = intakePorts();

/**
 * Rule target for SP-API ORDER_CHANGE notifications from the partner event source. Trust
 * comes from the event source (only Amazon can publish on it), so there is no signature; the
 * NotificationId is the delivery id. Unmappable notifications become intake exceptions.
 * A notification for an order we do not have in full, on a channel with SP-API credentials,
 * is handed to connectors instead (AmazonOrderDetailsRequested): they fetch the order, its
 * items and address and bring it back through intake whole, so it is never held for its address.
 */
export const handler = partnerEventHandler(
  { name: 'amazonOrderChange', keyPath: 'detail.NotificationMetadata.NotificationId' },
  async (event) => {
    const rawBody = JSON.stringify(event.detail);
    const { channel, sellerId } = await amazonChannelFor(rawBody);
    const metadata = event.detail.NotificationMetadata as { NotificationId?: unknown } | undefined;
    const deliveryId =
      typeof metadata?.NotificationId === 'string' ? metadata.NotificationId : `event:${event.id}`;
    const receivedAt = new Date().toISOString();
    const wanted = amazonDetailsWanted(channel, rawBody);
    if (
      channel &&
      wanted &&
      !knownInFull(await intake.store.loadOrder(orderIdFor(channel.channelId, wanted.amazonOrderId)))
    ) {
      // Derived from the notification: a redelivery re-sends the identical event, seen once.
      await events.publish([
        derivedEvent(
          AmazonOrderDetailsRequested,
          {
            channelId: channel.channelId,
            amazonOrderId: wanted.amazonOrderId,
            deliveryId,
            notification: rawBody,
            receivedAt,
          },
          `${channel.channelId}#${deliveryId}`,
          receivedAt,
          deliveryId,
        ),
      ]);
      return;
    }
    await receiveDelivery(
      intake,
      {
        source: 'amazon',
        channel,
        channelKey: channel?.channelId ?? unresolvedAmazonKey(sellerId),
        deliveryId,
        topic: event['detail-type'],
        rawBody,
        receivedAt,
      },
      { correlationId: deliveryId },
    );
  },
);
