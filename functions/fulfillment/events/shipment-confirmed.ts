import { z } from 'zod';
import { defineEvent } from '#shared/events';

/**
 * The parcel left: the reservation is consumed (on hand and reserved dropped together, units left
 * their bins). Carries what a channel connector and finance need.
 */
export const ShipmentConfirmed = defineEvent({
  source: 'qm.fulfillment',
  detailType: 'ShipmentConfirmed',
  version: 1,
  data: z.object({
    shipmentId: z.string(),
    fulfillmentId: z.string(),
    orderId: z.string(),
    channelId: z.string(),
    externalId: z.string(),
    locationId: z.string(),
    reservationId: z.string(),
    /** Order lines as the channel knows them (a kit ships as its kit line). */
    lines: z.array(z.object({ lineId: z.string(), sku: z.string(), quantity: z.number().int().positive() })),
    carrier: z.string(),
    service: z.string(),
    trackingNumber: z.string(),
    trackingUrl: z.string().optional(),
    packages: z.number().int().nonnegative(),
    shippedAt: z.string(),
  }),
});
