import { createHash } from 'node:crypto';

/** Fan-out of the SKU-wide ledger index and of the expiry index, so neither is one hot partition. */
export const LEDGER_FANOUT = 8;
export const EXPIRY_FANOUT = 8;

/** A stable small hash, for picking a shard or a fan-out partition. */
export function bucketOf(value: string, buckets: number): number {
  return createHash('sha1').update(value).digest().readUInt32BE(0) % buckets;
}

/**
 * Inventory item keys — the only place they are composed.
 * - location:     pk LOCATION#<id>        sk LOCATION          gsi1: LOCATIONS / <id>
 * - position:     pk STOCK#<sku>          sk LOC#<locationId>   (no index keys: see below)
 *   shard n ≥ 1:  pk STOCK#<sku>#<n>      sk LOC#<locationId>
 *   A position is one item (shard 0, the head) or N items; each shard is its own partition so a
 *   flash sale spreads over N write ceilings. One Query on STOCK#<sku> returns the heads and the
 *   SKU's stock config; shards are fetched by key.
 * - stocked at:   pk STOCK#<sku>          sk AT#<locationId>   gsi1: LOCSTOCK#<locationId> / <sku>
 *   Written once, beside the position's head. Every write to an item projected into an index
 *   (projection ALL) is written again to the index, so the hottest item in the table carries no
 *   index keys; this small marker lists the SKUs stocked at a location instead.
 * - stock config: pk STOCK#<sku>          sk CONFIG            ({ shards })
 * - movement:     pk MOVE#<movementId>    sk MOVE
 *   gsi1: LEDGER#<sku>#<0..7> / <occurredAt>#<movementId>   (SKU ledger, fanned out over 8 partitions)
 *   gsi2: ITEMLEDGER#<sku>#<locationId>#<shard> / <version, zero-padded>   (one item's ledger, in order)
 *   Each movement is its own partition; the per-item ledger is no hotter than the item it describes.
 * - reservation:  pk RES#<reservationId>  sk RESERVATION
 *   gsi2 (only while open with an expiry): RESEXP#<0..7> / <expiresAt>#<reservationId>
 * - channel ATP:  pk ATP#<sku>            sk CHANNEL#<channelId>   (last published channel availability)
 *   gsi1: ATPCH#<channelId> / <sku>   (every SKU a channel has a number for)
 * - channel view: pk CHANNELVIEW            sk <channelId>   (inventory's read model of a channel's
 *   locations and exposure rule, fed by ChannelUpserted; one small partition, read per stream batch)
 * - bin:          pk LOCATION#<id>        sk BIN#<binId>
 *   A bin's definition (zone, walk order, type, capacity, barcode) beside its location's item: one
 *   Query lists a location's bins. RECEIVING and STAGING exist without an item (a PUT may add one).
 * - bin stock:    pk BINSTOCK#<sku>#<locationId>   sk BIN#<binId>
 *   gsi1: BINSTOCK#<locationId> / <binId>#<sku>   (everything in a location's bins)
 *   Units of one SKU in one bin ({ quantity }, never below 0). Written in the same transaction as
 *   the position write that changes onHand (or, for a bin-to-bin move, the position write that
 *   carries the move's idempotency key and ledger movement). Kept off the position's partition so
 *   bin writes never add to the hot item's; an item that drops to 0 stays (quantity 0) and is
 *   skipped by reads. One Query gives a SKU's bins at a location, one index Query a location's.
 */
export const inventoryKeys = {
  location: (id: string) => ({ pk: `LOCATION#${id}`, sk: 'LOCATION' }),
  locationIndex: (id: string) => ({ gsi1pk: 'LOCATIONS', gsi1sk: id }),
  locationsPartition: 'LOCATIONS',

  positionsOf: (sku: string) => ({ pk: `STOCK#${sku}` }),
  positionSkPrefix: 'LOC#',
  position: (sku: string, locationId: string, shard = 0) => ({
    pk: shard === 0 ? `STOCK#${sku}` : `STOCK#${sku}#${shard}`,
    sk: `LOC#${locationId}`,
  }),
  stockedAt: (sku: string, locationId: string) => ({
    pk: `STOCK#${sku}`,
    sk: `AT#${locationId}`,
    gsi1pk: `LOCSTOCK#${locationId}`,
    gsi1sk: sku,
  }),
  positionsAtLocation: (locationId: string) => `LOCSTOCK#${locationId}`,
  stockConfig: (sku: string) => ({ pk: `STOCK#${sku}`, sk: 'CONFIG' }),

  movement: (movementId: string) => ({ pk: `MOVE#${movementId}`, sk: 'MOVE' }),
  movementId: (m: { sku: string; locationId: string; shard: number; version: number }) =>
    `${m.sku}:${m.locationId}:${m.shard}:${m.version}`,
  movementIndex: (m: {
    sku: string;
    locationId: string;
    shard: number;
    version: number;
    occurredAt: string;
    movementId: string;
  }) => ({
    gsi1pk: `LEDGER#${m.sku}#${bucketOf(`${m.locationId}#${m.shard}`, LEDGER_FANOUT)}`,
    gsi1sk: `${m.occurredAt}#${m.movementId}`,
    gsi2pk: inventoryKeys.itemLedger(m),
    gsi2sk: String(m.version).padStart(12, '0'),
  }),
  skuLedgerPartitions: (sku: string) => Array.from({ length: LEDGER_FANOUT }, (_, n) => `LEDGER#${sku}#${n}`),
  itemLedger: (p: { sku: string; locationId: string; shard: number }) =>
    `ITEMLEDGER#${p.sku}#${p.locationId}#${p.shard}`,

  reservation: (id: string) => ({ pk: `RES#${id}`, sk: 'RESERVATION' }),
  reservationExpiryIndex: (id: string, expiresAt: string) => ({
    gsi2pk: `RESEXP#${bucketOf(id, EXPIRY_FANOUT)}`,
    gsi2sk: `${expiresAt}#${id}`,
  }),
  expiryPartitions: () => Array.from({ length: EXPIRY_FANOUT }, (_, n) => `RESEXP#${n}`),

  channelAvailability: (sku: string, channelId: string) => ({ pk: `ATP#${sku}`, sk: `CHANNEL#${channelId}` }),
  channelAvailabilityIndex: (sku: string, channelId: string) => ({
    gsi1pk: `ATPCH#${channelId}`,
    gsi1sk: sku,
  }),
  channelAvailabilityOf: (channelId: string) => `ATPCH#${channelId}`,
  channelView: (channelId: string) => ({ pk: 'CHANNELVIEW', sk: channelId }),
  channelViewPartition: 'CHANNELVIEW',

  bin: (locationId: string, binId: string) => ({ pk: `LOCATION#${locationId}`, sk: `BIN#${binId}` }),
  binSkPrefix: 'BIN#',
  binStock: (sku: string, locationId: string, binId: string) => ({
    pk: `BINSTOCK#${sku}#${locationId}`,
    sk: `BIN#${binId}`,
  }),
  binStockIndex: (sku: string, locationId: string, binId: string) => ({
    gsi1pk: `BINSTOCK#${locationId}`,
    gsi1sk: `${binId}#${sku}`,
  }),
  binStockOf: (sku: string, locationId: string) => `BINSTOCK#${sku}#${locationId}`,
  binStockAt: (locationId: string) => `BINSTOCK#${locationId}`,
};
