import { z } from 'zod';
import { defineEvent } from '#shared/events';

/**
 * A putaway task is done: its units moved from RECEIVING to a storage bin. `dockToStockSeconds`
 * is putAwayAt − the receipt's first scan (absent when the receipt has no first scan).
 */
export const PutawayCompleted = defineEvent({
  source: 'qm.inbound',
  detailType: 'PutawayCompleted',
  version: 1,
  data: z.object({
    taskId: z.string(),
    asnId: z.string(),
    poId: z.string(),
    scanId: z.string(),
    locationId: z.string(),
    sku: z.string(),
    quantity: z.number().int(),
    binId: z.string(),
    putAwayAt: z.string(),
    dockToStockSeconds: z.number().int().optional(),
  }),
});
