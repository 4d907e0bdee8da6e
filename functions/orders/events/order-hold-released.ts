import { z } from 'zod';
import { defineEvent } from '#shared/events';
import { holdData } from './release-payloads.ts';

/** A person released a hold; `remaining` open holds still keep the order (on_hold → received when 0). */
export const OrderHoldReleased = defineEvent({
  source: 'qm.orders',
  detailType: 'OrderHoldReleased',
  version: 1,
  data: z.object({
    orderId: z.string(),
    channelId: z.string(),
    status: z.string(),
    hold: holdData,
    remaining: z.number().int().nonnegative(),
  }),
});
