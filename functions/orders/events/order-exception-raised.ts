import { z } from 'zod';
import { defineEvent } from '#shared/events';

/**
 * The channel changed an order after it was allocated, in a way the warehouse may not absorb
 * (lines, address, service level): customer service decides (cancel, re-ship, contact).
 */
export const OrderExceptionRaised = defineEvent({
  source: 'qm.orders',
  detailType: 'OrderExceptionRaised',
  version: 1,
  data: z.object({
    orderId: z.string(),
    channelId: z.string(),
    exceptionId: z.string(),
    kind: z.literal('changed-after-allocation'),
    changed: z.array(z.string()),
    orderStatus: z.string(),
    at: z.string(),
  }),
});
