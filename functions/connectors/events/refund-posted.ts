import { z } from 'zod';
import { defineEvent } from '#shared/events';

/**
 * The channel's answer to one refund attempt the connectors posted (returns records it on the
 * return: issued → RefundIssued, failed → RefundFailed). Its id derives from returnId + attempt,
 * so an answer announced again is recorded once.
 */
export const ChannelRefundPosted = defineEvent({
  source: 'qm.connectors',
  detailType: 'ChannelRefundPosted',
  version: 1,
  data: z.object({
    returnId: z.string(),
    channelId: z.string(),
    attempt: z.number().int().positive(),
    status: z.enum(['issued', 'failed']),
    /** The channel's refund id (issued). */
    reference: z.string().optional(),
    /** The channel's error (failed). */
    message: z.string().optional(),
    at: z.string().datetime(),
  }),
});
