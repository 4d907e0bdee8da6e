import { z } from 'zod';
import { defineEvent } from '#shared/events';

/** The number a channel may sell of a SKU changed (channel sync pushes it to the storefront). */
export const ChannelAvailabilityChanged = defineEvent({
  source: 'qm.inventory',
  detailType: 'ChannelAvailabilityChanged',
  version: 1,
  data: z.object({
    channel: z.string(),
    sku: z.string(),
    available: z.number().int().nonnegative(),
    previous: z.number().int().nonnegative(),
    at: z.string(),
  }),
});
