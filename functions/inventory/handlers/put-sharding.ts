import { z } from 'zod';
import { skuCode } from '#catalog/api';
import { httpHandler, ok, requirePrincipal } from '#shared/http';
import { inventoryPorts } from '../adapters/wiring.ts';
import { setSharding } from '../core/change-stock.ts';
import { shardingBody } from '../schemas/stock.ts';
import { locationView } from '../views/stock-views.ts';

const ports = inventoryPorts();

/** PUT /api/inventory/{sku}/sharding: split the SKU's positions into N items for a flash sale. */
export const handler = httpHandler(
  { params: z.object({ sku: skuCode }), body: shardingBody },
  async ({ params, body, principal, correlationId }) => {
    const actor = requirePrincipal(principal).username;
    const stock = await setSharding(ports, params.sku, body.shards, { actor, correlationId });
    return ok({
      sku: params.sku,
      shards: stock.shards,
      positions: stock.locations.map((l) => locationView(l, stock.shards)),
    });
  },
);
