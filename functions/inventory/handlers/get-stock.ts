import { z } from 'zod';
import { skuCode } from '#catalog/api';
import { incomingFor } from '#inbound/api';
import { httpHandler, ok } from '#shared/http';
import { inventoryPorts } from '../adapters/wiring.ts';
import { binStockOf } from '../core/bins.ts';
import { availabilityByLocation, channelView } from '../core/channel-availability.ts';
import { readSkuStock } from '../core/stock-view.ts';
import { locationView } from '../views/stock-views.ts';

const ports = inventoryPorts();

/**
 * GET /api/inventory/{sku}: positions (shards summed per location, units per bin), per-channel
 * availability, kit view, and units incoming on open purchase orders (inbound's published read;
 * inbound depends on inventory only through api.ts, so no cycle).
 */
export const handler = httpHandler({ params: z.object({ sku: skuCode }) }, async ({ params }) => {
  const [stock, catalog, incoming] = await Promise.all([
    readSkuStock(ports.positions, params.sku),
    ports.catalog.getMany([params.sku]),
    incomingFor(params.sku),
  ]);
  const definition = catalog.get(params.sku);
  const byLocation = await availabilityByLocation(ports.positions, params.sku, definition);
  const components = definition?.kit?.components;
  const bins = await Promise.all(stock.locations.map((l) => binStockOf(ports, params.sku, l.locationId)));
  return ok({
    sku: params.sku,
    positions: stock.locations.map((l, i) => ({
      ...locationView(l, stock.shards),
      bins: (bins[i] ?? []).map((b) => ({ binId: b.binId, quantity: b.quantity })),
    })),
    ...(stock.shards > 1 ? { shards: stock.shards } : {}),
    ...(components
      ? {
          kit: {
            components,
            available: [...byLocation.values()].reduce((s, v) => s + v, 0),
            byLocation: [...byLocation].map(([locationId, available]) => ({ locationId, available })),
          },
        }
      : {}),
    channels: await channelView(ports.channels, byLocation),
    ...(incoming.length ? { incoming } : {}),
  });
});
