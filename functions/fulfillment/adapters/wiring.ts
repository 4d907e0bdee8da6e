import { catalogReader } from '#catalog/api';
import { eventBridgePublisher } from '#shared/events';
import type { FulfillmentPorts } from '../core/ports.ts';
import { allCarriers } from './carrier-store.ts';
import { dynamoFulfillmentStore } from './fulfillment-store.ts';
import { inventoryPort } from './inventory.ts';
import { workflowSignals } from './workflow-signals.ts';
import { sfnFulfillmentWorkflows } from './workflows.ts';

/** Fulfillment's ports (records, waves, picking), wired to DynamoDB, inventory, catalog, Step Functions and the bus. */
export function fulfillmentPorts(): FulfillmentPorts {
  const catalog = catalogReader();
  return {
    store: dynamoFulfillmentStore(),
    inventory: inventoryPort(),
    carriers: { all: allCarriers },
    async barcodes(skus) {
      const found = await catalog.getMany(skus);
      return new Map([...found].map(([sku, def]) => [sku, def.barcodes ?? []]));
    },
    signals: workflowSignals(),
    workflows: sfnFulfillmentWorkflows(),
    events: eventBridgePublisher(),
    clock: () => new Date(),
  };
}
