import { z } from 'zod';
import { defineEvent } from '#shared/events';

/** The channel refused or failed an attempt to refund; `POST /api/returns/{id}/refund/retry` asks again. */
export const RefundFailed = defineEvent({
  source: 'qm.returns',
  detailType: 'RefundFailed',
  version: 1,
  data: z.object({
    returnId: z.string(),
    orderId: z.string(),
    channelId: z.string(),
    attempt: z.number().int().positive(),
    amount: z.number().int().nonnegative(),
    currency: z.string().nullable(),
    message: z.string().optional(),
    failedAt: z.string().datetime(),
  }),
});
