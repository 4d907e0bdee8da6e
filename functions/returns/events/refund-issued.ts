import { z } from 'zod';
import { defineEvent } from '#shared/events';

/** The channel refunded the customer (for finance). Once per return. */
export const RefundIssued = defineEvent({
  source: 'qm.returns',
  detailType: 'RefundIssued',
  version: 1,
  data: z.object({
    returnId: z.string(),
    orderId: z.string(),
    channelId: z.string(),
    attempt: z.number().int().positive(),
    amount: z.number().int().nonnegative(),
    currency: z.string().nullable(),
    reference: z.string().optional(),
    issuedAt: z.string().datetime(),
  }),
});
