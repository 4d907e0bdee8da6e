import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { catalogReader, type Sku } from '#catalog/api';
import { documentClient } from '#shared/clients';
import { type EventPublisher, eventBridgePublisher } from '#shared/events';
import { tableName } from '#shared/table';
import type { BinStore, CatalogReader } from '../core/ports.ts';
import type { ConsumerPorts } from '../core/stream-consumer.ts';
import { dynamoChannels } from './dynamo-channels.ts';
import { dynamoInventory } from './dynamo-inventory.ts';
import { toPosition, toReservation } from './items.ts';

export interface WiringOptions {
  db?: DynamoDBDocumentClient;
  table?: string;
  events?: EventPublisher;
  clock?: () => Date;
  shardCacheMs?: number;
  /** How long SKU definitions (kit components, substitutes) are cached in this process. @default 30 s */
  catalogCacheMs?: number;
}

/**
 * SKU definitions change rarely and are read on every multi-line reservation: keep found ones
 * for a short while. A kit whose components change is reserved the old way for at most that long;
 * a SKU not found is always asked again.
 */
export function cachedCatalog(inner: CatalogReader, ttlMs: number): CatalogReader {
  if (ttlMs <= 0) return inner;
  const cache = new Map<string, { sku: Sku; at: number }>();
  return {
    async getMany(ids) {
      const now = Date.now();
      const out = new Map<string, Sku>();
      const missing: string[] = [];
      for (const id of ids) {
        const hit = cache.get(id);
        if (hit && now - hit.at < ttlMs) out.set(id, hit.sku);
        else missing.push(id);
      }
      if (missing.length) {
        for (const [id, sku] of await inner.getMany(missing)) {
          cache.set(id, { sku, at: now });
          out.set(id, sku);
        }
      }
      return out;
    },
    kitsContaining: (sku) => inner.kitsContaining(sku),
  };
}

/**
 * The ports every inventory use case receives, wired to DynamoDB and the bus. Handlers call it
 * once at module scope; tests pass their own client, table and publisher.
 */
export function inventoryPorts(opts: WiringOptions = {}): ConsumerPorts & {
  channels: ReturnType<typeof dynamoChannels>;
  bins: BinStore;
} {
  const db = opts.db ?? documentClient();
  const table = opts.table ?? tableName();
  const store = dynamoInventory({
    db,
    table,
    ...(opts.shardCacheMs === undefined ? {} : { shardCacheMs: opts.shardCacheMs }),
  });
  return {
    positions: store.positions,
    reservations: store.reservations,
    ledger: store.ledger,
    bins: store.bins,
    catalog: cachedCatalog(catalogReader({ db, table }), opts.catalogCacheMs ?? 30_000),
    events: opts.events ?? eventBridgePublisher(),
    clock: opts.clock ?? (() => new Date()),
    channels: dynamoChannels({ db, table }),
    toPosition,
    toReservation,
  };
}
