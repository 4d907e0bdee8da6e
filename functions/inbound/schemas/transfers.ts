import { z } from 'zod';
import { skuCode } from '#catalog/api';
import { MAX_QUANTITY } from '#shared/bounds';
import { entityId } from './inbound.ts';

/**
 * Transfers: units of one location shipped to another. Shipping reserves and consumes them at the
 * source (inventory's reservation, one transaction for every line) and puts them in transit at
 * the destination; receiving takes them off in transit and into the destination's RECEIVING bin.
 */

/** A transfer ships as one inventory reservation, which holds at most 50 lines. */
export const MAX_TRANSFER_LINES = 50;
/** Days from shipping to the expected arrival when neither the transfer nor its shipping names one. */
export const DEFAULT_TRANSFER_DAYS = 2;

export const TRANSFER_STATUSES = ['created', 'shipped', 'receiving', 'received'] as const;
export type TransferStatus = (typeof TRANSFER_STATUSES)[number];

const unique = (lines: readonly { sku: string }[], ctx: z.RefinementCtx) => {
  const seen = new Set<string>();
  lines.forEach((l, index) => {
    if (seen.has(l.sku)) ctx.addIssue({ code: 'custom', path: [index, 'sku'], message: 'SKU listed twice' });
    seen.add(l.sku);
  });
};

export const createTransferBody = z
  .object({
    transferId: entityId,
    fromLocationId: entityId,
    toLocationId: entityId,
    lines: z
      .array(z.object({ sku: skuCode, quantity: z.number().int().min(1).max(MAX_QUANTITY) }))
      .min(1)
      .max(MAX_TRANSFER_LINES)
      .superRefine(unique),
    /** The day the units are expected at the destination; shipping may name another. */
    expectedAt: z.iso.date().optional(),
  })
  .refine((t) => t.fromLocationId !== t.toLocationId, {
    path: ['toLocationId'],
    message: 'must differ from fromLocationId',
  });
export type CreateTransferBody = z.infer<typeof createTransferBody>;

/** Shipping takes no body; a carrier's estimate may set the expected day. */
export const shipTransferBody = z.object({ expectedAt: z.iso.date().optional() }).optional();

export const receiveTransferBody = z.object({
  /** What arrived per SKU; a shipped SKU left out arrived with 0 units (all of it a variance). */
  lines: z
    .array(z.object({ sku: skuCode, quantity: z.number().int().min(0).max(MAX_QUANTITY) }))
    .max(MAX_TRANSFER_LINES)
    .superRefine(unique),
});
export type ReceiveTransferBody = z.infer<typeof receiveTransferBody>;

export interface TransferLine {
  sku: string;
  quantity: number;
  /** Set once received: what arrived (good units into RECEIVING at the destination). */
  received?: number;
}

/** received − shipped per SKU: negative is short (lost on the way), positive over. */
export interface TransferVariance {
  sku: string;
  shipped: number;
  received: number;
  variance: number;
}

export interface Transfer {
  transferId: string;
  fromLocationId: string;
  toLocationId: string;
  lines: TransferLine[];
  status: TransferStatus;
  /** Hash of what defines the transfer, so a repeated POST is told from a different one. */
  fingerprint: string;
  expectedAt?: string;
  createdAt: string;
  createdBy: string;
  shippedAt?: string;
  shippedBy?: string;
  /** While `receiving` and after: the hash of the receive body, so a retry is told from another count. */
  receiveFingerprint?: string;
  receivedAt?: string;
  receivedBy?: string;
  variances?: TransferVariance[];
  version: number;
}

/** One shipped SKU of a transfer still on its way (the in-transit index read by SKU). */
export interface TransferInTransit {
  transferId: string;
  sku: string;
  fromLocationId: string;
  toLocationId: string;
  quantity: number;
  expectedAt: string;
}
