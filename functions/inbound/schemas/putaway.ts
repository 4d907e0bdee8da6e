import { z } from 'zod';

/**
 * Directed putaway: each good receiving scan leaves a task to move its units from RECEIVING to a
 * storage bin; confirming it at the bin stops the dock-to-stock clock.
 */
export interface PutawayTask {
  /** Derived from asnId + scanId, so the scan's retries and the close create the same task. */
  taskId: string;
  asnId: string;
  scanId: string;
  poId: string;
  locationId: string;
  sku: string;
  quantity: number;
  status: 'open' | 'done';
  createdAt: string;
  /** Set when done: the bin the units went to, when, and dock-to-stock (putAwayAt − firstScanAt). */
  binId?: string;
  putAwayAt?: string;
  putAwayBy?: string;
  dockToStockSeconds?: number;
}

export const confirmPutawayBody = z.object({
  /** The bin's barcode as printed on its label, or its id. */
  binCode: z.string().trim().min(1).max(128),
});
