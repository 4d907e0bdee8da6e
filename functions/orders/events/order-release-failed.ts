import { z } from 'zod';
import { defineEvent } from '#shared/events';

/** The release workflow gave up on a step: reservations were released and the order is held for review. */
export const OrderReleaseFailed = defineEvent({
  source: 'qm.orders',
  detailType: 'OrderReleaseFailed',
  version: 1,
  data: z.object({
    orderId: z.string(),
    channelId: z.string(),
    status: z.literal('failed'),
    error: z.string(),
    cause: z.string().optional(),
    releasedReservations: z.array(z.string()),
    at: z.string(),
  }),
});
