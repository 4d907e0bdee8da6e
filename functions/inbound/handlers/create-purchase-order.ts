import { created, httpHandler, ok, requirePrincipal } from '#shared/http';
import { inboundPorts } from '../adapters/wiring.ts';
import { placePurchaseOrder } from '../core/purchase-orders.ts';
import { purchaseOrderBody } from '../schemas/inbound.ts';
import { poView } from '../views/inbound-views.ts';

const ports = inboundPorts();

/** POST /api/purchase-orders: places an open PO; 201 new, 200 the same PO again, 409 PO_CONFLICT. */
export const handler = httpHandler(
  { body: purchaseOrderBody },
  async ({ body, principal, correlationId }) => {
    const out = await placePurchaseOrder(ports, body, {
      actor: requirePrincipal(principal).username,
      correlationId,
    });
    const view = poView(out.po, out.lines);
    return out.created ? created(view) : ok(view);
  },
);
