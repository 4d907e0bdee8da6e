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
  /** Set for restocked units of a return (asnId is then `return:<returnId>`, poId empty). */
  returnId?: string;
  status: 'open' | 'done';
  createdAt: string;
  /** The bin the units go to: claimed just before the move, kept when done. */
  binId?: string;
  /** Set when done: when, by whom, and dock-to-stock (putAwayAt − the receipt's firstScanAt). */
  putAwayAt?: string;
  putAwayBy?: string;
  dockToStockSeconds?: number;
}

export const confirmPutawayBody = z.object({
  /** The bin's barcode as printed on its label, or its id. */
  binCode: z.string().trim().min(1).max(128),
});
