import { created, httpHandler, ok } from '#shared/http';
import { z } from 'zod';
import { dynamoStockStore } from '../adapters/stock-store.ts';
import { locationId, putLocationBody } from '../schemas/stock.ts';

const store = dynamoStockStore();

export const handler = httpHandler(
  { params: z.object({ id: locationId }), body: putLocationBody },
  async ({ params, body }) => {
    const previous = await store.getLocation(params.id);
    const now = new Date().toISOString();
    const location = { ...body, locationId: params.id, createdAt: previous?.createdAt ?? now, updatedAt: now };
    await store.putLocation(location);
    return previous ? ok(location) : created(location);
  },
);
