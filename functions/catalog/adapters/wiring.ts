import { eventBridgePublisher } from '#shared/events';
import { dynamoSkuRepository } from './sku-repository.ts';
import { dynamoSkuSearch } from './sku-search.ts';

/** The catalog's ports, wired to DynamoDB and the bus; each handler calls this once at module scope. */
export function catalogPorts() {
  return {
    skus: dynamoSkuRepository(),
    search: dynamoSkuSearch(),
    events: eventBridgePublisher(),
    clock: () => new Date(),
  };
}
