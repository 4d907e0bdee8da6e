/**
 * Supplier performance from the purchase orders planning has followed (placed, received,
 * exceptions, cancelled), pure.
 */

export interface FollowedPo {
  poId: string;
  supplierId: string;
  placedAt?: string;
  expectedAt?: string;
  /** Units ordered per SKU. */
  ordered: Record<string, number>;
  /** Good units received per SKU. */
  received: Record<string, number>;
  firstReceivedAt?: string;
  lastReceivedAt?: string;
  exceptions: number;
  cancelled?: boolean;
}

export interface SupplierPerformance {
  supplierId: string;
  purchaseOrders: number;
  /** POs due (expected day passed, or received in full) that we judge on. */
  judged: number;
  /** Share of judged POs received in full by their expected day. */
  otif: number | null;
  /** Days from placing a PO to its first receipt: mean and sample standard deviation. */
  leadTimeMeanDays: number | null;
  leadTimeSdDays: number | null;
  /** Units received (up to what was ordered) / units ordered, over judged POs. */
  fillRate: number | null;
  receivingExceptions: number;
}

const DAY_MS = 86_400_000;
const round3 = (x: number) => Math.round(x * 1000) / 1000;

/** Lead time of a PO in days: placed → first receipt. */
export function leadTimeDays(po: FollowedPo): number | undefined {
  if (!po.placedAt || !po.firstReceivedAt) return undefined;
  return Math.max(0, (Date.parse(po.firstReceivedAt) - Date.parse(po.placedAt)) / DAY_MS);
}

function inFull(po: FollowedPo): boolean {
  return Object.entries(po.ordered).every(([sku, q]) => (po.received[sku] ?? 0) >= q);
}

export function supplierPerformance(pos: readonly FollowedPo[], today: string): SupplierPerformance[] {
  const bySupplier = new Map<string, FollowedPo[]>();
  for (const po of pos) bySupplier.set(po.supplierId, [...(bySupplier.get(po.supplierId) ?? []), po]);
  const out: SupplierPerformance[] = [];
  for (const [supplierId, list] of [...bySupplier].sort((a, b) => a[0].localeCompare(b[0]))) {
    let judged = 0;
    let onTimeInFull = 0;
    let ordered = 0;
    let filled = 0;
    let exceptions = 0;
    const leads: number[] = [];
    for (const po of list) {
      exceptions += po.exceptions;
      const lt = leadTimeDays(po);
      if (lt !== undefined) leads.push(lt);
      if (po.cancelled && !po.firstReceivedAt) continue;
      const full = inFull(po);
      const due = po.expectedAt !== undefined && po.expectedAt < today;
      if (!full && !due) continue;
      judged++;
      const lastDay = po.lastReceivedAt?.slice(0, 10);
      if (full && lastDay !== undefined && po.expectedAt !== undefined && lastDay <= po.expectedAt)
        onTimeInFull++;
      for (const [sku, q] of Object.entries(po.ordered)) {
        ordered += q;
        filled += Math.min(q, po.received[sku] ?? 0);
      }
    }
    const mean = leads.length ? leads.reduce((s, x) => s + x, 0) / leads.length : null;
    const sd =
      mean !== null && leads.length > 1
        ? Math.sqrt(leads.reduce((s, x) => s + (x - mean) ** 2, 0) / (leads.length - 1))
        : mean !== null
          ? 0
          : null;
    out.push({
      supplierId,
      purchaseOrders: list.length,
      judged,
      otif: judged ? round3(onTimeInFull / judged) : null,
      leadTimeMeanDays: mean === null ? null : round3(mean),
      leadTimeSdDays: sd === null ? null : round3(sd),
      fillRate: ordered ? round3(filled / ordered) : null,
      receivingExceptions: exceptions,
    });
  }
  return out;
}
