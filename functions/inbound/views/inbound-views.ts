import { formatMinor } from '../core/money.ts';
import type { Asn, PoLine, PoStatus, PurchaseOrder } from '../schemas/inbound.ts';

/** A PO in a list: the header without bookkeeping. */
export interface PurchaseOrderSummary {
  poId: string;
  supplierId: string;
  locationId: string;
  status: PoStatus;
  expectedAt: string;
  currency: string;
  lineCount: number;
  totalUnits: number;
  totalCost: string;
  totalCostMinor: number;
  cancelReason?: string;
  cancelledAt?: string;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
}

export interface PurchaseOrderView extends PurchaseOrderSummary {
  lines: {
    lineNo: number;
    sku: string;
    quantity: number;
    received: number;
    /** Units announced by ASNs so far. */
    advised: number;
    unitCost: string;
    unitCostMinor: number;
  }[];
  asnIds: string[];
}

export type AsnView = Omit<Asn, 'fingerprint'>;

export function poSummary(po: PurchaseOrder): PurchaseOrderSummary {
  const { fingerprint: _f, version: _v, ...rest } = po;
  return { ...rest, totalCost: formatMinor(po.totalCostMinor, po.currency) };
}

export function poView(
  po: PurchaseOrder,
  lines: readonly PoLine[],
  asnIds: readonly string[] = [],
): PurchaseOrderView {
  return {
    ...poSummary(po),
    lines: lines.map((l) => ({
      lineNo: l.lineNo,
      sku: l.sku,
      quantity: l.quantity,
      received: l.received,
      advised: l.advised,
      unitCost: formatMinor(l.unitCostMinor, po.currency),
      unitCostMinor: l.unitCostMinor,
    })),
    asnIds: [...asnIds],
  };
}

export function asnView(asn: Asn): AsnView {
  const { fingerprint: _f, ...rest } = asn;
  return rest;
}
