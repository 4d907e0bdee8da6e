import { z } from 'zod';
import { defineEvent } from '#shared/events';

const units = z.array(z.object({ sku: z.string(), quantity: z.number().int().positive() }));

/** The dock received a return's parcel: units now in returnedPending at `locationId`. Once per return. */
export const ReturnReceived = defineEvent({
  source: 'qm.returns',
  detailType: 'ReturnReceived',
  version: 1,
  data: z.object({
    returnId: z.string(),
    orderId: z.string(),
    channelId: z.string(),
    locationId: z.string(),
    /** Every unit received, expected or not. */
    lines: units,
    /** The part of `lines` the RMA did not authorise. */
    unexpected: units,
    receivedAt: z.string().datetime(),
  }),
});
