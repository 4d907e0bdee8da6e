import { z } from 'zod';
import { defineEvent } from '#shared/events';

/**
 * An SP-API ORDER_CHANGE arrived for an order we do not have in full (no prices, no address):
 * connectors fetch it from the Orders API and hand it back through `takeAmazonOrderDetails`,
 * which takes the notification with its details through intake like any order. Published only
 * for a channel with SP-API credentials; the notification itself rides along (a few KB).
 */
export const AmazonOrderDetailsRequested = defineEvent({
  source: 'qm.orders',
  detailType: 'AmazonOrderDetailsRequested',
  version: 1,
  data: z.object({
    channelId: z.string(),
    amazonOrderId: z.string(),
    /** The notification's id: the intake delivery id of the enriched order. */
    deliveryId: z.string(),
    /** The ORDER_CHANGE document as received. */
    notification: z.string(),
    receivedAt: z.string(),
  }),
});
