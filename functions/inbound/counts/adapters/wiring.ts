import { randomUUID } from 'node:crypto';
import { catalogReader } from '#catalog/api';
import { adjustCountedStock, binsAt, locationOf } from '#inventory/api';
import { eventBridgePublisher } from '#shared/events';
import type { CountPorts } from '../core/ports.ts';
import { dynamoCountStore } from './count-store.ts';

/** Cycle counts' ports: their items, inventory's bins and count correction, the catalog, the bus. */
export function countPorts(): CountPorts {
  const catalog = catalogReader();
  return {
    store: dynamoCountStore(),
    bins: { at: (locationId) => binsAt(locationId) },
    locations: { exists: async (locationId) => Boolean(await locationOf(locationId)) },
    async stockSkus(skus) {
      const found = await catalog.getMany(skus);
      return new Set([...found].filter(([, def]) => !def.kit?.components.length).map(([sku]) => sku));
    },
    async adjust(cmd, who) {
      await adjustCountedStock(cmd, who);
    },
    events: eventBridgePublisher(),
    clock: () => new Date(),
    newId: () => randomUUID(),
  };
}
