import { z } from 'zod';
import { MAX_QUANTITY } from '#shared/bounds';
import { entityId } from './inbound.ts';

/**
 * Receiving at the dock: a receipt per ASN, counted scan by scan, closed once with its exceptions.
 */

/** Over-receipt allowed per SKU beyond what the ASN announced (and the PO line ordered): 5 %. */
export const OVER_RECEIPT_TOLERANCE = 0.05;
/** Most units a SKU may reach: the expected count plus the tolerance, rounded down. */
export const receivableMax = (expected: number) => Math.floor(expected * (1 + OVER_RECEIPT_TOLERANCE));

export const scanBody = z.object({
  /** A catalog barcode of the unit, or its SKU code. */
  code: z.string().trim().min(1).max(64),
  /** @default 1 */
  quantity: z.number().int().min(1).max(MAX_QUANTITY).optional(),
  /** @default 'good' */
  condition: z.enum(['good', 'damaged']).optional(),
  /** The handheld's id for this scan: a retried scan with the same id counts once. */
  scanId: entityId.optional(),
});
export type ScanBody = z.infer<typeof scanBody>;

export const EXCEPTION_TYPES = ['over', 'short', 'wrong_sku', 'damaged'] as const;
export type ExceptionType = (typeof EXCEPTION_TYPES)[number];
export interface ReceivingException {
  type: ExceptionType;
  sku: string;
  quantity: number;
}

/** The receipt of one ASN (`open` from its first scan until closed). */
export interface Receipt {
  asnId: string;
  poId: string;
  locationId: string;
  status: 'open' | 'closed';
  /** Dock-to-stock starts here; putaway stops the clock. */
  firstScanAt?: string;
  closedAt?: string;
  closedBy?: string;
  /** Set when closed: what the close answers, again and again. */
  exceptions?: ReceivingException[];
  /** Grows with every scan, so a close computed from stale counts is refused. */
  version: number;
}

/** What the receipt counted of one SKU: `received` counts good and damaged units; `wrong` is off-ASN. */
export interface ReceiptLine {
  sku: string;
  received: number;
  damaged: number;
  wrong: number;
}

/** One scan as recorded (before stock moves), so a retry with its id counts once. */
export interface ScanRecord {
  scanId: string;
  code: string;
  sku: string;
  quantity: number;
  condition: 'good' | 'damaged';
  /** False for a SKU that is not on the ASN (recorded as a wrong-SKU exception, nothing received). */
  onAsn: boolean;
  at: string;
  actor: string;
  /** When its units reached inventory; absent while a scan written before a crash still owes them. */
  stockedAt?: string;
}
