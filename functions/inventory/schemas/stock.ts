import { z } from 'zod';
import { skuCode } from '#catalog/schemas/sku';

export const locationId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._\-]*$/, 'letters, digits, ".", "_" or "-"');

export const putLocationBody = z.object({
  name: z.string().min(1).max(200),
  type: z.enum(['warehouse', 'store', '3pl']),
  timezone: z
    .string()
    .refine((tz) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, 'not an IANA time zone')
    .optional(),
  address: z
    .object({
      line1: z.string().min(1),
      line2: z.string().optional(),
      city: z.string().min(1),
      region: z.string().optional(),
      postalCode: z.string().min(1),
      country: z.string().length(2, 'ISO 3166-1 alpha-2 country code'),
    })
    .optional(),
});
export type PutLocationBody = z.infer<typeof putLocationBody>;
export interface Location extends PutLocationBody {
  locationId: string;
  createdAt: string;
  updatedAt: string;
}

export const adjustmentBody = z.object({
  sku: skuCode,
  locationId,
  delta: z
    .number()
    .int('whole units of the SKU')
    .refine((d) => d !== 0, 'must not be zero'),
  reason: z.string().min(1).max(200),
  idempotencyKey: z.string().min(8).max(128),
});
export type AdjustmentBody = z.infer<typeof adjustmentBody>;

/** Buckets inside onHand that are not available to sell. */
export const HELD_BUCKETS = ['reserved', 'damaged', 'quarantined', 'returnedPending', 'safetyStock'] as const;
export const ALL_BUCKETS = ['onHand', ...HELD_BUCKETS, 'inTransit'] as const;
export type Bucket = (typeof ALL_BUCKETS)[number];

export type Buckets = Record<Bucket, number>;

export interface StockPosition extends Buckets {
  sku: string;
  locationId: string;
  /** Materialized so DynamoDB can check `available >= qty` inside a conditional write. */
  available: number;
  version: number;
  updatedAt: string;
}

export interface Movement {
  movementId: string;
  sku: string;
  locationId: string;
  bucket: Bucket;
  delta: number;
  before: Buckets & { available: number };
  after: Buckets & { available: number };
  reason: string;
  actor: string;
  correlationId: string;
  idempotencyKey: string;
  occurredAt: string;
  /** The id of the event announcing this movement, so a republish reuses it. */
  eventId: string;
}
