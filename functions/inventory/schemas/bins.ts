import { z } from 'zod';
import { skuCode } from '#catalog/api';
import { MAX_QUANTITY } from '#shared/bounds';
import { locationId } from './stock.ts';

/** Bin ids share the location id's charset (they appear in keys beside it). */
export const binId = locationId;

export const BIN_TYPES = ['pick', 'bulk', 'receiving', 'staging'] as const;

/** Goods in land here unless a receipt names another bin. */
export const RECEIVING_BIN = 'RECEIVING';
/** Picked units wait here until they ship (or go back to a bin on cancel). */
export const STAGING_BIN = 'STAGING';

export const putBinBody = z.object({
  zone: z.string().max(64),
  walkOrder: z.number().int().min(0).max(1_000_000),
  type: z.enum(BIN_TYPES),
  /** Units the bin holds at most (informational: a write is never refused for it). */
  capacity: z.number().int().positive().max(MAX_QUANTITY).optional(),
  /** What is printed on the bin's label; scanned to prove the picker is at the bin. @default binId */
  barcode: z.string().min(1).max(128).optional(),
});
export type PutBinBody = z.infer<typeof putBinBody>;

export interface BinDefinition extends PutBinBody {
  locationId: string;
  binId: string;
  createdAt?: string;
  updatedAt?: string;
}

/** Every location has these two bins without defining them; a PUT may redefine them. */
export function implicitBin(locationId: string, id: string): BinDefinition | undefined {
  if (id === RECEIVING_BIN) return { locationId, binId: id, zone: '', walkOrder: 0, type: 'receiving' };
  if (id === STAGING_BIN) return { locationId, binId: id, zone: '', walkOrder: 0, type: 'staging' };
  return undefined;
}

/** Units of one SKU in one bin of one location. */
export interface BinStock {
  sku: string;
  locationId: string;
  binId: string;
  quantity: number;
  updatedAt?: string;
}

export const binMoveBody = z
  .object({
    sku: skuCode,
    locationId,
    fromBinId: binId,
    toBinId: binId,
    quantity: z.number().int('whole units of the SKU').positive().max(MAX_QUANTITY),
    idempotencyKey: z.string().min(8).max(128),
    reason: z.string().min(1).max(200).optional(),
  })
  .refine((b) => b.fromBinId !== b.toBinId, { path: ['toBinId'], message: 'must differ from "fromBinId"' });

/** Walk order, then bin id: the order a picker passes the bins in. */
export const byWalk = (a: { walkOrder: number; binId: string }, b: { walkOrder: number; binId: string }) =>
  a.walkOrder - b.walkOrder || a.binId.localeCompare(b.binId);
