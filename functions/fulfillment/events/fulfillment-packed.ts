import { z } from 'zod';
import { defineEvent } from '#shared/events';

/** Every unit was scanned into packages with weight and dimensions. */
export const FulfillmentPacked = defineEvent({
  source: 'qm.fulfillment',
  detailType: 'FulfillmentPacked',
  version: 1,
  data: z.object({
    fulfillmentId: z.string(),
    orderId: z.string(),
    locationId: z.string(),
    packages: z.array(
      z.object({
        weightGrams: z.number(),
        lengthMm: z.number(),
        widthMm: z.number(),
        heightMm: z.number(),
      }),
    ),
    at: z.string(),
  }),
});
