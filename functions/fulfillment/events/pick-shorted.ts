import { z } from 'zod';
import { defineEvent } from '#shared/events';

/** Units were not in the bin: written off (reason short_pick); order release places the short part again. */
export const PickShorted = defineEvent({
  source: 'qm.fulfillment',
  detailType: 'PickShorted',
  version: 1,
  data: z.object({
    fulfillmentId: z.string(),
    orderId: z.string(),
    channelId: z.string(),
    locationId: z.string(),
    reservationId: z.string(),
    taskId: z.string(),
    binId: z.string(),
    /** The short units per order line (a kit component short makes its kit line short). */
    lines: z.array(z.object({ lineId: z.string(), sku: z.string(), quantity: z.number().int().positive() })),
    reason: z.string(),
    at: z.string(),
    /** The bin's count is in doubt: a count was requested for it. */
    countRequested: z.boolean().optional(),
  }),
});
