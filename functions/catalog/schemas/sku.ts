import { z } from 'zod';
import { MAX_QUANTITY } from '#shared/bounds';

/** SKU codes are what warehouses print on labels: letters, digits and a few separators. */
export const skuCode = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, ".", "_" or "-"');

/** Units of a component per kit, 1 … MAX_QUANTITY: a kit line of MAX_QUANTITY kits stays ≤ 10^12 units. */
export const kitComponent = z.object({
  sku: skuCode,
  quantity: z.number().int().positive().max(MAX_QUANTITY),
});

export const putSkuBody = z.object({
  name: z.string().min(1).max(200),
  barcodes: z.array(z.string().min(1).max(64)).max(20).optional(),
  kit: z
    .object({ components: z.array(kitComponent).min(1).max(50) })
    .optional()
    .describe('A kit is sold as one SKU but reserves its components'),
  substitutes: z.array(skuCode).max(20).optional(),
});
export type PutSkuBody = z.infer<typeof putSkuBody>;

export interface Sku extends PutSkuBody {
  sku: string;
  createdAt: string;
  updatedAt: string;
}
