import { skuCode } from '#catalog/schemas/sku';
import { httpHandler, ok } from '#shared/http';
import { z } from 'zod';
import { dynamoStockStore } from '../adapters/stock-store.ts';
import { bucketsOf } from '../core/stock-position.ts';

const store = dynamoStockStore();

export const handler = httpHandler({ params: z.object({ sku: skuCode }) }, async ({ params }) => {
  const positions = await store.listPositions(params.sku);
  return ok({
    sku: params.sku,
    positions: positions.map((p) => ({ locationId: p.locationId, ...bucketsOf(p), updatedAt: p.updatedAt })),
  });
});
