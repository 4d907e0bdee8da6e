import { z } from 'zod';
import { MAX_MONEY_MINOR, MAX_QUANTITY } from '#shared/bounds';

/** Dispositions an inspected unit can get (inventory's ReturnDisposition). */
export const DISPOSITIONS = ['restock', 'refurbish', 'quarantine', 'damaged', 'write_off'] as const;
export type Disposition = (typeof DISPOSITIONS)[number];

export const RETURN_STATUSES = [
  'requested',
  'pending_approval',
  'approved',
  'rejected',
  'received',
  'inspected',
  'completed',
] as const;
export type ReturnStatus = (typeof RETURN_STATUSES)[number];

/** `not_requested` until inspection is done; then `requested → issued | failed` (failed → requested on retry). */
export const REFUND_STATUSES = ['not_requested', 'requested', 'issued', 'failed', 'not_required'] as const;
export type RefundStatus = (typeof REFUND_STATUSES)[number];

const id = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9._:-]+$/, 'letters, digits and . _ : -');
const sku = z.string().min(1).max(64);
const quantity = z.number().int('whole units').positive().max(MAX_QUANTITY);
const reasonText = z.string().trim().min(1).max(500);

const noDuplicateSkus = (lines: { sku: string }[]) => new Set(lines.map((l) => l.sku)).size === lines.length;

export const returnIdParam = z.object({ id });

/** `POST /api/returns` */
export const createReturnBody = z.object({
  returnId: id,
  orderId: z.string().min(1).max(200),
  lines: z
    .array(z.object({ sku, quantity, reason: z.string().min(1).max(64) }))
    .min(1)
    .max(500)
    .refine(noDuplicateSkus, 'one line per SKU'),
  exchange: z
    .object({
      lines: z.array(z.object({ sku, quantity })).min(1).max(500).refine(noDuplicateSkus, 'one line per SKU'),
    })
    .optional(),
});
export type CreateReturnBody = z.infer<typeof createReturnBody>;

/** `POST /api/returns/{id}/approve` and `/reject` */
export const decisionBody = z.object({ reason: reasonText });

/** `POST /api/returns/{id}/receipts`: what the dock found in the parcel of the RMA. */
export const receiptBody = z.object({
  locationId: z.string().min(1).max(64),
  lines: z.array(z.object({ sku, quantity })).min(1).max(500).refine(noDuplicateSkus, 'one line per SKU'),
});
export type ReceiptBody = z.infer<typeof receiptBody>;

/** `POST /api/returns/{id}/inspections` (`inspectionId` makes a retry count once; the console always sends one). */
export const inspectionBody = z.object({
  inspectionId: id.optional(),
  lines: z
    .array(z.object({ sku, quantity, disposition: z.enum(DISPOSITIONS) }))
    .min(1)
    .max(500),
});
export type InspectionBody = z.infer<typeof inspectionBody>;

/** `POST /api/returns/{id}/refund`: the channel's answer to a RefundRequested. */
export const refundOutcomeBody = z.object({
  status: z.enum(['issued', 'failed']),
  /** The channel's refund id (Shopify refund id, WooCommerce refund id). */
  reference: z.string().min(1).max(200).optional(),
  message: z.string().min(1).max(500).optional(),
});
export type RefundOutcomeBody = z.infer<typeof refundOutcomeBody>;

/** `PUT /api/return-settings` */
export const settingsBody = z.object({
  /** The reason codes a return line may give. */
  reasonCodes: z
    .array(z.string().regex(/^[a-z0-9_]{1,64}$/, 'lower-case letters, digits and _'))
    .min(1)
    .max(50)
    .refine((c) => new Set(c).size === c.length, 'no duplicates'),
  /** Days after the order's last shipment a return is within the window (default for every channel). */
  windowDays: z.number().int().min(0).max(3650),
  /** Per channel: its own window in days. */
  channelWindowDays: z.record(z.string().min(1).max(64), z.number().int().min(0).max(3650)).optional(),
  /** A return worth more than this (minor units of the order's currency) needs a supervisor. */
  approvalThreshold: z.number().int().min(0).max(MAX_MONEY_MINOR).optional(),
  /** Returns within the window and under the threshold are approved at once. @default true */
  autoApprove: z.boolean().optional(),
});
export type SettingsBody = z.infer<typeof settingsBody>;

export interface ReturnSettings {
  reasonCodes: string[];
  windowDays: number;
  channelWindowDays: Record<string, number>;
  approvalThreshold: number;
  autoApprove: boolean;
}

export const listQuery = z.object({
  status: z.enum(RETURN_STATUSES).optional(),
  orderId: z.string().min(1).max(200).optional(),
});

export interface ReturnLine {
  sku: string;
  /** Units the RMA authorises (0 for an unexpected SKU found in the parcel). */
  quantity: number;
  reason?: string;
  /** Net price of one unit (after the line's discount), minor units; 0 when the channel gave none. */
  unitPrice: number;
  received: number;
  dispositions: Partial<Record<Disposition, number>>;
}

export interface Refund {
  status: RefundStatus;
  amount: number;
  currency: string | null;
  attempt: number;
  reference?: string;
  message?: string;
}

export interface TimelineEntry {
  at: string;
  what: string;
  by?: string;
  note?: string;
}

export type Phase = 'received' | 'inspected' | 'refunded';

export interface ReturnRecord {
  returnId: string;
  orderId: string;
  channelId: string;
  externalId: string;
  status: ReturnStatus;
  lines: ReturnLine[];
  /** Units found in the parcel beyond what the RMA authorises (also in `lines.received`). */
  unexpected: { sku: string; quantity: number }[];
  /** The replacement asked for; once the parcel is received, placed as a linked order (`orderId`) or refused (`refused`). */
  exchange?: { lines: { sku: string; quantity: number }[]; orderId?: string; refused?: string };
  /** Requested units × their net price, minor units. */
  value: number;
  outsideWindow: boolean;
  overThreshold: boolean;
  decision?: { outcome: 'approved' | 'rejected'; by: string; reason: string; at: string };
  locationId?: string;
  refund: Refund;
  timeline: TimelineEntry[];
  /** Task tokens the returns workflow parked with, per phase. */
  tokens?: Partial<Record<Phase, string>>;
  /** What the create request was, so a retry with another body is told apart. */
  fingerprint: string;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  version: number;
}
