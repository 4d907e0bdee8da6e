import { z } from 'zod';
import { httpHandler, ok } from '#shared/http';
import { dynamoInboundStore } from '../adapters/inbound-store.ts';
import { SupplierNotFound } from '../errors.ts';
import { entityId } from '../schemas/inbound.ts';

const store = dynamoInboundStore();

/** GET /api/suppliers/{supplierId} */
export const handler = httpHandler({ params: z.object({ supplierId: entityId }) }, async ({ params }) => {
  const supplier = await store.getSupplier(params.supplierId);
  if (!supplier) throw new SupplierNotFound(params.supplierId);
  return ok(supplier);
});
