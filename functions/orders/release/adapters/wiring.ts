import { catalogReader } from '#catalog/api';
import { arrivalsFor } from '#inbound/api';
import { eventBridgePublisher } from '#shared/events';
import { sfnTaskTokens } from '#shared/task-tokens';
import { dynamoChannelStore } from '../../intake/adapters/channel-store.ts';
import type { ReleasePorts } from '../core/ports.ts';
import { cachedArrivals } from './arrivals-cache.ts';
import { inventoryReads } from './inventory-reads.ts';
import { inventoryReservations } from './inventory-reservations.ts';
import { recentOrders } from './recent-orders.ts';
import { recentStock } from './recent-stock.ts';
import { dynamoBackorderQueue, dynamoReleaseStore } from './release-store.ts';
import { dynamoRulesStore } from './rules-store.ts';
import { sfnReleaseWorkflows } from './workflows.ts';

/** The ports of the release use cases, wired to DynamoDB, inventory, Step Functions and the bus. */
export function releasePorts(): ReleasePorts & {
  rulesStore: ReturnType<typeof dynamoRulesStore>;
  recentOrders: typeof recentOrders;
  kitsContaining: (sku: string) => Promise<string[]>;
} {
  const channels = dynamoChannelStore();
  const reads = inventoryReads();
  const rulesStore = dynamoRulesStore();
  const catalog = catalogReader();
  const stock = recentStock(reads.stock.snapshot);
  return {
    orders: dynamoReleaseStore(),
    channels: { get: (id) => channels.getCached(id) },
    nodes: reads.nodes,
    stock: { snapshot: stock.snapshot },
    recentStock: stock.recent,
    rules: rulesStore,
    rulesStore,
    recentOrders,
    kitsContaining: (sku) => catalog.kitsContaining(sku),
    reservations: inventoryReservations(),
    tokens: sfnTaskTokens(),
    workflows: sfnReleaseWorkflows(),
    substitutes: {
      async of(skus) {
        const found = await catalog.getMany(skus);
        return new Map([...found].map(([sku, def]) => [sku, def.substitutes ?? []]));
      },
    },
    backorders: dynamoBackorderQueue(),
    arrivals: { of: cachedArrivals(arrivalsFor) },
    events: eventBridgePublisher(),
    clock: () => new Date(),
  };
}
