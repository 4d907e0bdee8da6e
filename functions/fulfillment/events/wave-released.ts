import { z } from 'zod';
import { defineEvent } from '#shared/events';

/** A wave was planned: its fulfillments are ready to pick, in bin walk order. */
export const WaveReleased = defineEvent({
  source: 'qm.fulfillment',
  detailType: 'WaveReleased',
  version: 1,
  data: z.object({
    waveId: z.string(),
    locationId: z.string(),
    cutoffAt: z.string().optional(),
    fulfillmentIds: z.array(z.string()),
    orderIds: z.array(z.string()),
    taskCount: z.number().int(),
    releasedAt: z.string(),
  }),
});
