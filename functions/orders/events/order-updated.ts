import { z } from 'zod';
import { defineEvent } from '#shared/events';
import { orderEventBody } from './order-lines.ts';

/** A newer version of an order (by the sender's clock) was applied; `changed` names what moved. */
export const OrderUpdated = defineEvent({
  source: 'qm.orders',
  detailType: 'OrderUpdated',
  version: 1,
  data: z.object({
    ...orderEventBody,
    changed: z.array(z.string()),
    sourceUpdatedAt: z.string(),
  }),
});
