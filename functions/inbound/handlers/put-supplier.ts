import { z } from 'zod';
import { created, httpHandler, ok, requirePrincipal } from '#shared/http';
import { dynamoInboundStore } from '../adapters/inbound-store.ts';
import { entityId, type Supplier, supplierBody } from '../schemas/inbound.ts';

const store = dynamoInboundStore();

/**
 * PUT /api/suppliers/{supplierId}: creates or replaces a supplier. A PO copies the supplier's
 * currency when placed, so changing it later leaves existing POs as they were agreed.
 */
export const handler = httpHandler(
  { params: z.object({ supplierId: entityId }), body: supplierBody },
  async ({ params, body, principal }) => {
    const previous = await store.getSupplier(params.supplierId);
    const supplier: Supplier = {
      supplierId: params.supplierId,
      ...body,
      updatedAt: new Date().toISOString(),
      updatedBy: requirePrincipal(principal).username,
    };
    await store.putSupplier(supplier);
    return { ...(previous ? ok(supplier) : created(supplier)), audit: { before: previous, after: supplier } };
  },
);
