import type { Sku } from '#catalog/api';
import type { BucketsWithAvailable } from '../schemas/stock.ts';
import { availabilityByLocation } from './channel-availability.ts';
import type { PositionStore } from './ports.ts';
import { readSkuStock } from './stock-view.ts';

/** One page of the catalog in SKU order (catalog's published `listSkus`). */
export type CatalogPage = (limit: number, cursor?: string) => Promise<{ items: Sku[]; cursor?: string }>;

type BrowseFilter = 'low' | 'zero' | 'negative';

interface BrowseLocation extends BucketsWithAvailable {
  locationId: string;
  /** Kits: the kits its components can build here. */
  buildable?: number;
}

export interface BrowseRow {
  sku: string;
  name: string;
  kit?: { components: { sku: string; quantity: number }[] };
  locations: BrowseLocation[];
  totalOnHand: number;
  totalAvailable: number;
  /** Kits: what the components can build, summed over the locations (what an order can take). */
  buildable?: number;
}

/**
 * SKUs looked at per request at most. Each costs one Query (a kit one per component), so a
 * filter that matches rarely answers a short page with a cursor instead of walking the catalog.
 */
const BROWSE_SCAN_BUDGET = 300;
const CONCURRENCY = 25;

/** The number a filter looks at: a kit sells what its components build, any other SKU its available. */
const sellable = (row: BrowseRow) => row.buildable ?? row.totalAvailable;

function matches(row: BrowseRow, filter: BrowseFilter | undefined, lowAt: number): boolean {
  if (filter === 'negative') return row.locations.some((l) => l.available < 0);
  if (filter === 'zero') return sellable(row) <= 0;
  if (filter === 'low') return sellable(row) > 0 && sellable(row) <= lowAt;
  return true;
}

async function rowOf(positions: PositionStore, sku: Sku, locationId: string | undefined) {
  const [stock, kitByLocation] = await Promise.all([
    readSkuStock(positions, sku.sku),
    sku.kit?.components.length ? availabilityByLocation(positions, sku.sku, sku) : undefined,
  ]);
  const here = (id: string) => !locationId || id === locationId;
  const byId = new Map<string, BrowseLocation>(
    stock.locations
      .filter((l) => here(l.locationId))
      .map((l) => [l.locationId, { locationId: l.locationId, ...l.buckets }]),
  );
  let buildable: number | undefined;
  if (kitByLocation) {
    buildable = 0;
    for (const [id, kits] of kitByLocation) {
      if (!here(id)) continue;
      buildable += kits;
      const zero = { onHand: 0, reserved: 0, damaged: 0, quarantined: 0, returnedPending: 0 };
      const own = byId.get(id) ?? { locationId: id, ...zero, safetyStock: 0, inTransit: 0, available: 0 };
      byId.set(id, { ...own, buildable: kits });
    }
  }
  // Narrowed to a location, a SKU that has nothing there (no position, no buildable kit) is no row.
  if (locationId && byId.size === 0) return undefined;
  const locations = [...byId.values()].sort((a, b) => a.locationId.localeCompare(b.locationId));
  const row: BrowseRow = {
    sku: sku.sku,
    name: sku.name,
    ...(sku.kit ? { kit: { components: sku.kit.components } } : {}),
    locations,
    totalOnHand: locations.reduce((n, l) => n + l.onHand, 0),
    totalAvailable: locations.reduce((n, l) => n + l.available, 0),
    ...(buildable === undefined ? {} : { buildable }),
  };
  return row;
}

/**
 * Stock browse: walks the catalog in SKU order, reads each SKU's positions (shards summed) and,
 * for a kit, what its components can build; keeps the rows the filter wants. The cursor is the
 * catalog's, so a page ends where the walk stopped: at `limit` rows, at the scan budget, or at
 * the end of the catalog (no cursor).
 */
export async function browseStock(
  deps: { positions: PositionStore; catalogPage: CatalogPage },
  query: { locationId?: string; filter?: BrowseFilter; lowAt: number; limit: number; cursor?: string },
): Promise<{ items: BrowseRow[]; cursor?: string }> {
  const items: BrowseRow[] = [];
  let cursor = query.cursor;
  let scanned = 0;
  do {
    // Never read more catalog SKUs than rows still wanted, so the page ends exactly on a cursor.
    const want = Math.min(query.limit - items.length, BROWSE_SCAN_BUDGET - scanned, CONCURRENCY);
    const page = await deps.catalogPage(want, cursor);
    scanned += page.items.length;
    const rows = await Promise.all(page.items.map((s) => rowOf(deps.positions, s, query.locationId)));
    for (const row of rows) if (row && matches(row, query.filter, query.lowAt)) items.push(row);
    cursor = page.cursor;
  } while (cursor && items.length < query.limit && scanned < BROWSE_SCAN_BUDGET);
  return { items, ...(cursor ? { cursor } : {}) };
}
