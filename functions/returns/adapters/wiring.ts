import { catalogReader } from '#catalog/api';
import { shippedParcelsOf } from '#fulfillment/api';
import { createReturnPutaway } from '#inbound/api';
import { dispositionReturned, locationOf, receiveReturned } from '#inventory/api';
import { orderForReturn, placeReplacementOrder } from '#orders/api';
import { eventBridgePublisher } from '#shared/events';
import { sfnTaskTokens } from '#shared/task-tokens';
import type { ReturnPorts } from '../core/ports.ts';
import { dynamoReturnStore } from './return-store.ts';
import { sfnReturnWorkflows } from './workflows.ts';

/** The returns context's one wiring point: ports to real adapters and other contexts' api.ts. */
export function returnPorts(): ReturnPorts {
  const catalog = catalogReader();
  return {
    store: dynamoReturnStore(),
    facts: {
      order: orderForReturn,
      shipped: shippedParcelsOf,
      async knownSkus(skus) {
        const found = await catalog.getMany(skus);
        // A kit is sold as one SKU but stocked as its components: its units are not received as a kit.
        return new Set([...found].filter(([, s]) => !s.kit?.components.length).map(([sku]) => sku));
      },
      locationExists: async (locationId) => Boolean(await locationOf(locationId)),
      placeReplacement: placeReplacementOrder,
    },
    stock: {
      async receive(cmd, ctx) {
        await receiveReturned(cmd, ctx);
      },
      async disposition(cmd, ctx) {
        await dispositionReturned(cmd, ctx);
      },
      async putaway(cmd) {
        await createReturnPutaway(cmd);
      },
    },
    events: eventBridgePublisher(),
    workflows: sfnReturnWorkflows(),
    tokens: sfnTaskTokens(),
    clock: () => new Date(),
  };
}
