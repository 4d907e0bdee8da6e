import { z } from 'zod';
import { httpHandler, ok, requirePrincipal } from '#shared/http';
import { inboundPorts } from '../adapters/wiring.ts';
import { cancelPurchaseOrder } from '../core/purchase-orders.ts';
import { cancelBody, entityId } from '../schemas/inbound.ts';
import { poView } from '../views/inbound-views.ts';

const ports = inboundPorts();

/** POST /api/purchase-orders/{poId}/cancel `{ reason }`: the rest of the PO is no longer expected. */
export const handler = httpHandler(
  { params: z.object({ poId: entityId }), body: cancelBody },
  async ({ params, body, principal, correlationId }) => {
    const who = { actor: requirePrincipal(principal).username, correlationId };
    const out = await cancelPurchaseOrder(ports, params.poId, body.reason, who);
    return ok(poView(out.po, out.lines));
  },
);
