import { z } from 'zod';
import { defineEvent } from '#shared/events';

/**
 * The release side of a cancellation is done: every reservation the order held was released
 * (once), its backorders dropped, a parked workflow ended. Published for channel cancellations
 * (after intake's `OrderCancelled`) and for ops cancellations (POST /api/orders/{id}/cancel),
 * which have no `OrderCancelled` — that event stays intake's: "the channel cancelled".
 */
export const OrderReleaseCancelled = defineEvent({
  source: 'qm.orders',
  detailType: 'OrderReleaseCancelled',
  version: 1,
  data: z.object({
    orderId: z.string(),
    channelId: z.string(),
    status: z.literal('cancelled'),
    source: z.enum(['channel', 'ops']),
    by: z.string(),
    reason: z.string().optional(),
    /** Status before the cancellation (released orders must be pulled back from the node). */
    previousStatus: z.string(),
    releasedReservations: z.array(z.string()),
    /** Nodes that had been told to pick it (OrderReleased / ThreePLOrderRequested). */
    recallFrom: z.array(z.string()),
    at: z.string(),
  }),
});
