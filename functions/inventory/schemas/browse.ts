import { z } from 'zod';
import { MAX_BUCKET_UNITS } from '#shared/bounds';
import { locationId } from './stock.ts';

/**
 * Low stock until SKUs carry reorder points (planning): at most this many sellable units.
 * A query's `lowAt` overrides it.
 */
export const DEFAULT_LOW_AT = 10;

/** GET /api/inventory: every catalog SKU with its stock, optionally at one location, filtered. */
export const browseQuery = z.object({
  locationId: locationId.optional(),
  /** low: 1 … lowAt sellable; zero: nothing sellable; negative: a position whose available is below zero. */
  filter: z.enum(['low', 'zero', 'negative']).optional(),
  lowAt: z.coerce.number().int().min(0).max(MAX_BUCKET_UNITS).optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
  cursor: z.string().max(2000).optional(),
});

export const listLocationsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).optional(),
  cursor: z.string().max(2000).optional(),
});
