import type { Asn } from '../schemas/inbound.ts';
import type { PutawayTask } from '../schemas/putaway.ts';
import type { ReceivingException, ScanRecord } from '../schemas/receiving.ts';
import type { ReceiptState } from './ports.ts';

/** A receipt as the floor and its managers read it: counts, exceptions, putaway and dock-to-stock. */
export interface ReceiptReport {
  asnId: string;
  poId: string;
  /** `not_started` until the first scan. */
  status: 'not_started' | 'open' | 'closed';
  firstScanAt?: string;
  closedAt?: string;
  lines: { sku: string; expected: number; received: number; damaged: number }[];
  /** Set once closed (what the close answered). */
  exceptions?: ReceivingException[];
  /** Good scans leave one putaway task each; damaged units stay on the dock. */
  putaway: { tasks: number; done: number; lastPutAwayAt?: string };
  /**
   * Dock-to-stock of the receipt: from its first scan to the last putaway, once every good scan's
   * units are in a storage bin (null before, and for a receipt with nothing to put away).
   */
  dockToStockSeconds: number | null;
}

const seconds = (from: string, to: string) =>
  Math.max(0, Math.round((Date.parse(to) - Date.parse(from)) / 1000));

/**
 * The report of one ASN's receipt from its records: the receipt and counts, its scans and the
 * putaway tasks of its good scans (`tasks` may lack a task a crashed scan has not made yet: the
 * receipt is then not fully put away).
 */
export function receiptReport(
  asn: Asn,
  state: ReceiptState,
  scans: readonly ScanRecord[],
  tasks: readonly (PutawayTask | undefined)[],
): ReceiptReport {
  const r = state.receipt;
  const good = scans.filter((s) => s.onAsn && s.condition === 'good').length;
  const done = tasks.filter((t): t is PutawayTask => t?.status === 'done');
  const lastPutAwayAt = done
    .map((t) => t.putAwayAt ?? '')
    .sort()
    .at(-1);
  const complete = good > 0 && done.length === good;
  return {
    asnId: asn.asnId,
    poId: asn.poId,
    status: r?.status ?? 'not_started',
    ...(r?.firstScanAt ? { firstScanAt: r.firstScanAt } : {}),
    ...(r?.closedAt ? { closedAt: r.closedAt } : {}),
    lines: asn.totals.map((t) => {
      const line = state.lines.find((l) => l.sku === t.sku);
      return { sku: t.sku, expected: t.quantity, received: line?.received ?? 0, damaged: line?.damaged ?? 0 };
    }),
    ...(r?.exceptions ? { exceptions: r.exceptions } : {}),
    putaway: { tasks: good, done: done.length, ...(lastPutAwayAt ? { lastPutAwayAt } : {}) },
    dockToStockSeconds:
      complete && r?.firstScanAt && lastPutAwayAt ? seconds(r.firstScanAt, lastPutAwayAt) : null,
  };
}
