import { z } from 'zod';
import { NotFound } from '#shared/errors';
import { httpHandler, ok } from '#shared/http';
import { catalogPorts } from '../adapters/wiring.ts';
import { skuCode } from '../schemas/sku.ts';

const { skus } = catalogPorts();

export const handler = httpHandler({ params: z.object({ sku: skuCode }) }, async ({ params }) => {
  const sku = await skus.get(params.sku);
  if (!sku) throw new NotFound('SKU', params.sku);
  return ok(sku);
});
