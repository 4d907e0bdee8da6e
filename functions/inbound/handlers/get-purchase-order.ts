import { z } from 'zod';
import { httpHandler, ok } from '#shared/http';
import { dynamoInboundStore } from '../adapters/inbound-store.ts';
import { PurchaseOrderNotFound } from '../errors.ts';
import { entityId } from '../schemas/inbound.ts';
import { poView } from '../views/inbound-views.ts';

const store = dynamoInboundStore();

/** GET /api/purchase-orders/{poId}: the PO with its lines (ordered, received, advised) and its ASNs. */
export const handler = httpHandler({ params: z.object({ poId: entityId }) }, async ({ params }) => {
  const [found, asnIds] = await Promise.all([store.purchaseOrder(params.poId), store.asnIdsOf(params.poId)]);
  if (!found) throw new PurchaseOrderNotFound(params.poId);
  return ok(poView(found.po, found.lines, asnIds));
});
