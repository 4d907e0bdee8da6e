import { z } from 'zod';
import { defineEvent } from '#shared/events';

/** Not enough time is left before a fulfillment's cutoff for the picks ahead of it: it jumps the queue. */
export const CutoffAtRisk = defineEvent({
  source: 'qm.fulfillment',
  detailType: 'CutoffAtRisk',
  version: 1,
  data: z.object({
    fulfillmentId: z.string(),
    orderId: z.string(),
    locationId: z.string(),
    cutoffAt: z.string(),
    minutesLeft: z.number(),
    minutesNeeded: z.number(),
    at: z.string(),
  }),
});
