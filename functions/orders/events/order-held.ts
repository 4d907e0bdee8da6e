import { z } from 'zod';
import { defineEvent } from '#shared/events';
import { holdData } from './release-payloads.ts';

/** The order went on hold (received → on_hold, or one more hold on a held order). */
export const OrderHeld = defineEvent({
  source: 'qm.orders',
  detailType: 'OrderHeld',
  version: 1,
  data: z.object({ orderId: z.string(), channelId: z.string(), status: z.string(), hold: holdData }),
});
