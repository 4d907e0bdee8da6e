import { z } from 'zod';
import { defineEvent } from '#shared/events';
import { orderEventBody } from './order-lines.ts';

/** A channel order was taken (exactly once per channel and external id); release may start. */
export const OrderReceived = defineEvent({
  source: 'qm.orders',
  detailType: 'OrderReceived',
  version: 1,
  data: z.object(orderEventBody),
});
