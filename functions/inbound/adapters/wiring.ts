import { catalogReader } from '#catalog/api';
import { binStockOf, binsAt, locationOf, moveBetweenBins, receiveGoods } from '#inventory/api';
import { eventBridgePublisher } from '#shared/events';
import type { InboundPorts, PutawayPorts, ReceivingPorts } from '../core/ports.ts';
import { countPorts } from '../counts/adapters/wiring.ts';
import { putawayZonesFor } from '../counts/core/counts.ts';
import { dynamoInboundStore } from './inbound-store.ts';
import { dynamoPutawayStore } from './putaway-store.ts';
import { dynamoReceivingStore } from './receiving-store.ts';

/** Inbound's ports wired to the table, the catalog's and inventory's published reads, and the bus. */
export function inboundPorts(): InboundPorts {
  const catalog = catalogReader();
  return {
    store: dynamoInboundStore(),
    catalog: {
      async kinds(skus) {
        const found = await catalog.getMany(skus);
        return new Map([...found].map(([sku, def]) => [sku, def.kit?.components.length ? 'kit' : 'item']));
      },
    },
    locations: { exists: async (locationId) => Boolean(await locationOf(locationId)) },
    events: eventBridgePublisher(),
    clock: () => new Date(),
  };
}

/** Receiving's ports: inbound's items, the catalog's barcodes, inventory's goods-in, the bus. */
export function receivingPorts(): ReceivingPorts {
  const catalog = catalogReader();
  return {
    store: dynamoInboundStore(),
    receipts: dynamoReceivingStore(),
    async barcodes(skus) {
      const found = await catalog.getMany(skus);
      return new Map([...found].map(([sku, def]) => [sku, def.barcodes ?? []]));
    },
    inventory: {
      async receive(cmd, who) {
        await receiveGoods(cmd, who);
      },
    },
    putaway: dynamoPutawayStore(),
    events: eventBridgePublisher(),
    clock: () => new Date(),
  };
}

/** Putaway's ports: its tasks, the receipts (dock-to-stock), inventory's bins and bin move, the bus. */
export function putawayPorts(): PutawayPorts {
  const counts = countPorts();
  return {
    tasks: dynamoPutawayStore(),
    receipts: dynamoReceivingStore(),
    bins: {
      at: (locationId) => binsAt(locationId),
      // binsAt reads a location index (eventually consistent on DynamoDB); each SKU's bins are
      // one consistent Query, so the capacity check sees a move committed just before.
      async held(locationId, binId, skus) {
        const rows = await Promise.all(skus.map((sku) => binStockOf(sku, locationId)));
        return rows.flat().reduce((n, r) => n + (r.binId === binId ? r.quantity : 0), 0);
      },
      async move(cmd, who) {
        await moveBetweenBins(cmd, who);
      },
    },
    events: eventBridgePublisher(),
    clock: () => new Date(),
    // Counting owns the ABC classes and their settings: putaway asks it through a function.
    zones: (skus) => putawayZonesFor(counts, skus),
    pause: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  };
}
