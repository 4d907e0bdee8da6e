import { z } from 'zod';
import { skuCode } from '#catalog/api';
import { MAX_QUANTITY } from '#shared/bounds';

/**
 * Inbound's records: suppliers, purchase orders (a header and one line item per SKU) and advance
 * shipping notices (ASNs) announcing what a supplier sent against a PO.
 */

/**
 * Lines of one PO, and SKUs of one ASN: a PO is written header + lines + audit record in one
 * transaction, and an ASN updates one PO line per SKU in one; DynamoDB takes 100 items per
 * transaction. A larger order is split into several POs.
 */
export const MAX_PO_LINES = 95;
/** Rows of one ASN CSV upload, and ASNs in it: each ASN is its own transaction within one request. */
export const MAX_CSV_ROWS = 5_000;
export const MAX_CSV_ASNS = 25;
/** Cartons of one ASN (kept on one item, well under DynamoDB's 400 KB). */
export const MAX_ASN_CARTONS = 500;

/** `draft` is not created yet: POST places a PO (`open`); suggested POs will be planning's drafts. */
export const PO_STATUSES = ['open', 'partially_received', 'received', 'cancelled'] as const;
export type PoStatus = (typeof PO_STATUSES)[number];
/** Statuses in which a PO still expects goods (incoming stock, ASNs, receiving). */
export const RECEIVABLE: readonly PoStatus[] = ['open', 'partially_received'];

export const entityId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, ".", "_" or "-"');
const quantity = z.number().int().min(1).max(MAX_QUANTITY);
export const currencyCode = z.string().regex(/^[A-Z]{3}$/, 'ISO 4217 code, e.g. USD');

export const supplierBody = z.object({
  name: z.string().trim().min(1).max(200),
  leadTimeDays: z.number().int().min(0).max(365),
  currency: currencyCode,
  /** Minimum order quantity per SKU line and units per case: kept for planning's suggested POs, not enforced on POs. */
  moq: quantity.optional(),
  casePack: quantity.optional(),
});
export type SupplierBody = z.infer<typeof supplierBody>;
export interface Supplier extends SupplierBody {
  supplierId: string;
  updatedAt: string;
  updatedBy: string;
}

/** Text, never a JSON number, so a cost never passes through a binary float. */
const decimalText = z.string().regex(/^\d{1,12}(\.\d{1,6})?$/, 'a decimal amount as text, e.g. "12.50"');

/** Each name once in a list, else an issue at the repeat (`<path>.<index>.<field>`). */
function uniqueBy<T>(field: keyof T & string, what: string) {
  return (items: readonly T[], ctx: z.RefinementCtx) => {
    const seen = new Set<unknown>();
    items.forEach((item, index) => {
      if (seen.has(item[field])) {
        ctx.addIssue({ code: 'custom', path: [index, field], message: `${what} listed twice` });
      }
      seen.add(item[field]);
    });
  };
}

export const purchaseOrderBody = z.object({
  poId: entityId,
  supplierId: entityId,
  locationId: z.string().min(1).max(64),
  /** The day the goods are expected at the location. */
  expectedAt: z.iso.date(),
  lines: z
    .array(z.object({ sku: skuCode, quantity, unitCost: decimalText }))
    .min(1)
    .max(MAX_PO_LINES)
    .superRefine(uniqueBy('sku', 'SKU')),
});
export type PurchaseOrderBody = z.infer<typeof purchaseOrderBody>;

export const cancelBody = z.object({ reason: z.string().trim().min(1).max(500) });

const asnLines = z
  .array(z.object({ sku: skuCode, quantity }))
  .min(1)
  .max(MAX_PO_LINES)
  .superRefine(uniqueBy('sku', 'SKU'));
export const asnBody = z
  .object({
    asnId: entityId,
    poId: entityId,
    cartons: z
      .array(z.object({ cartonId: entityId, lines: asnLines }))
      .max(MAX_ASN_CARTONS)
      .superRefine(uniqueBy('cartonId', 'Carton'))
      .optional(),
    /** Units not in a carton (or a supplier that does not say which carton). */
    lines: asnLines.optional(),
  })
  .refine((a) => (a.cartons?.length ?? 0) + (a.lines?.length ?? 0) > 0, {
    message: 'an ASN lists cartons, lines or both',
    path: ['lines'],
  });
export type AsnBody = z.infer<typeof asnBody>;

export interface PurchaseOrder {
  poId: string;
  supplierId: string;
  locationId: string;
  expectedAt: string;
  currency: string;
  status: PoStatus;
  lineCount: number;
  totalUnits: number;
  /** Σ quantity × unit cost, in minor units of `currency`. */
  totalCostMinor: number;
  /** Hash of what defines the PO, so a repeated POST is told from a different one. */
  fingerprint: string;
  cancelReason?: string;
  cancelledAt?: string;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  version: number;
}

/**
 * One SKU of a PO. `received` is what receiving has counted in (receiving adds to it with a
 * condition `received <= quantity × 1.05 − n`, schemas/receiving.ts); `advised` what ASNs have announced so far.
 */
export interface PoLine {
  poId: string;
  lineNo: number;
  sku: string;
  quantity: number;
  unitCostMinor: number;
  received: number;
  advised: number;
  /** Copied from the header: the incoming index is by SKU × location × expected day. */
  locationId: string;
  expectedAt: string;
}

export interface AsnLine {
  sku: string;
  quantity: number;
}
export interface Asn {
  asnId: string;
  poId: string;
  cartons: { cartonId: string; lines: AsnLine[] }[];
  lines: AsnLine[];
  /** Units per SKU over cartons and loose lines, in SKU order. */
  totals: AsnLine[];
  fingerprint: string;
  createdAt: string;
  createdBy: string;
}
