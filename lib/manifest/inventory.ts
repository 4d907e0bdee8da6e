import { SkuUpserted } from '../../functions/catalog/events/sku-upserted.ts';
import { ChannelUpserted } from '../../functions/orders/events/channel-upserted.ts';
import type { ContextManifest, Role } from './types.ts';

const STOCK_EDITORS: readonly Role[] = ['admin', 'inventory-controller', 'supervisor'];
const FLOOR_STAFF: readonly Role[] = ['admin', 'inventory-controller', 'supervisor', 'warehouse-associate'];
const RESERVERS: readonly Role[] = ['admin', 'supervisor', 'inventory-controller', 'customer-service'];
const SHIPPERS: readonly Role[] = ['admin', 'supervisor', 'warehouse-associate'];
const LEDGER_READERS: readonly Role[] = ['admin', 'supervisor', 'inventory-controller', 'finance'];
const INVENTORY_ADMINS: readonly Role[] = ['admin', 'inventory-controller'];
/** Lay out a location's bins: people who run the floor. */
const BIN_PLANNERS: readonly Role[] = ['admin', 'supervisor'];
/** Everyone but finance reads bins. */
const BIN_READERS: readonly Role[] = [
  'admin',
  'supervisor',
  'inventory-controller',
  'warehouse-associate',
  'customer-service',
];
const STOCK_READERS: readonly Role[] = [
  'admin',
  'supervisor',
  'inventory-controller',
  'warehouse-associate',
  'customer-service',
  'finance',
];

/** Inventory: locations, stock positions and their shards, reservations, the ledger, channel availability. */
export const inventory: ContextManifest = {
  functions: {
    putLocation: {
      entry: 'functions/inventory/handlers/put-location.ts',
      description:
        'PUT /api/locations/{id}: create or replace a stocking location (a 3PL’s connection secrets → secret store)',
      table: 'RW',
      writesSecrets: true,
    },
    adjustStock: {
      entry: 'functions/inventory/handlers/adjust-stock.ts',
      description:
        'POST /api/inventory/adjustments: one conditional write; the ledger follows from the stream',
      table: 'RW',
    },
    receiveStock: {
      entry: 'functions/inventory/handlers/receive-stock.ts',
      description: 'POST /api/inventory/receipts: units into a bucket, optionally off inTransit',
      table: 'RW',
    },
    moveStock: {
      entry: 'functions/inventory/handlers/move-stock.ts',
      description: 'POST /api/inventory/moves: status move between buckets as one conditional write',
      table: 'RW',
    },
    getStock: {
      entry: 'functions/inventory/handlers/get-stock.ts',
      description:
        'GET /api/inventory/{sku}: positions (shards summed), kit availability, per-channel availability',
      table: 'R',
    },
    browseStock: {
      entry: 'functions/inventory/handlers/browse-stock.ts',
      description:
        'GET /api/inventory: every SKU with stock per location, kits buildable; low/zero/negative filters, paged',
      table: 'R',
    },
    listLocations: {
      entry: 'functions/inventory/handlers/list-locations.ts',
      description: 'GET /api/locations: stocking locations in id order, paged',
      table: 'R',
    },
    getLocation: {
      entry: 'functions/inventory/handlers/get-location.ts',
      description: 'GET /api/locations/{id}: one stocking location',
      table: 'R',
    },
    putBin: {
      entry: 'functions/inventory/handlers/put-bin.ts',
      description:
        'PUT /api/locations/{id}/bins/{binId}: define a bin (zone, walk order, type, capacity, barcode)',
      table: 'RW',
    },
    listBins: {
      entry: 'functions/inventory/handlers/list-bins.ts',
      description: 'GET /api/locations/{id}/bins: every bin of a location in walk order, with its contents',
      table: 'R',
    },
    moveBetweenBins: {
      entry: 'functions/inventory/handlers/move-between-bins.ts',
      description: 'POST /api/inventory/bin-moves: units from one bin to another, one ledger movement',
      table: 'RW',
    },
    getLedger: {
      entry: 'functions/inventory/handlers/get-ledger.ts',
      description: 'GET /api/inventory/{sku}/ledger: movements, paged',
      table: 'R',
    },
    putSharding: {
      entry: 'functions/inventory/handlers/put-sharding.ts',
      description: 'PUT /api/inventory/{sku}/sharding: split a hot SKU over N position items',
      table: 'RW',
    },
    reserveStock: {
      entry: 'functions/inventory/handlers/reserve-stock.ts',
      description: 'POST /api/reservations: conditional reservation, idempotent by reservation id',
      table: 'RW',
    },
    getReservation: {
      entry: 'functions/inventory/handlers/get-reservation.ts',
      description: 'GET /api/reservations/{id}',
      table: 'R',
    },
    releaseReservation: {
      entry: 'functions/inventory/handlers/release-reservation.ts',
      description: 'DELETE /api/reservations/{id}: release the held units',
      table: 'RW',
    },
    consumeReservation: {
      entry: 'functions/inventory/handlers/consume-reservation.ts',
      description: 'POST /api/reservations/{id}/consume: the units shipped',
      table: 'RW',
    },
    reservationTask: {
      entry: 'functions/inventory/handlers/reservation-task.ts',
      description: 'Workflow task: reserve / release / consume through the same core as the API',
      table: 'RW',
    },
    stockStream: {
      entry: 'functions/inventory/handlers/stock-stream.ts',
      urgency: 'order-flow',
      description:
        'Table stream: ledger movements, reservation records, inventory events, channel availability',
      table: 'RW',
      publishes: true,
      timeoutSeconds: 60,
    },
    sweepReservations: {
      entry: 'functions/inventory/handlers/sweep-reservations.ts',
      description: 'Scheduled: expires holds past their expiresAt',
      table: 'RW',
      timeoutSeconds: 60,
    },
    checkInventory: {
      entry: 'functions/inventory/handlers/check-inventory.ts',
      description: 'Scheduled and POST /api/inventory/checks: proves the four invariants, reports mismatches',
      table: 'R',
      publishes: true,
      timeoutSeconds: 300,
    },
    repairPosition: {
      entry: 'functions/inventory/handlers/repair-position.ts',
      description: 'POST /api/inventory/repairs: correcting ledger movement with an audit reason',
      table: 'RW',
      publishes: true,
    },
    onChannelUpserted: {
      entry: 'functions/inventory/handlers/on-channel-upserted.ts',
      description: 'Recomputes a channel’s availability when its locations or exposure change',
      table: 'RW',
      publishes: true,
    },
    onSkuUpserted: {
      entry: 'functions/inventory/handlers/on-sku-upserted.ts',
      description: 'Recomputes channel availability when a kit definition changes',
      table: 'RW',
      publishes: true,
    },
  },
  routes: [
    { method: 'PUT', path: '/api/locations/{id}', fn: 'putLocation', auth: { roles: ['admin'] } },
    { method: 'POST', path: '/api/inventory/adjustments', fn: 'adjustStock', auth: { roles: STOCK_EDITORS } },
    { method: 'POST', path: '/api/inventory/receipts', fn: 'receiveStock', auth: { roles: FLOOR_STAFF } },
    { method: 'POST', path: '/api/inventory/moves', fn: 'moveStock', auth: { roles: FLOOR_STAFF } },
    {
      method: 'POST',
      path: '/api/inventory/checks',
      fn: 'checkInventory',
      auth: { roles: INVENTORY_ADMINS },
    },
    {
      method: 'POST',
      path: '/api/inventory/repairs',
      fn: 'repairPosition',
      auth: { roles: INVENTORY_ADMINS },
    },
    { method: 'GET', path: '/api/inventory', fn: 'browseStock', auth: { roles: STOCK_READERS } },
    { method: 'GET', path: '/api/locations', fn: 'listLocations', auth: { roles: STOCK_READERS } },
    { method: 'GET', path: '/api/locations/{id}', fn: 'getLocation', auth: { roles: STOCK_READERS } },
    {
      method: 'PUT',
      path: '/api/locations/{id}/bins/{binId}',
      fn: 'putBin',
      auth: { roles: BIN_PLANNERS },
    },
    { method: 'GET', path: '/api/locations/{id}/bins', fn: 'listBins', auth: { roles: BIN_READERS } },
    {
      method: 'POST',
      path: '/api/inventory/bin-moves',
      fn: 'moveBetweenBins',
      auth: { roles: FLOOR_STAFF },
    },
    { method: 'GET', path: '/api/inventory/{sku}', fn: 'getStock', auth: { roles: STOCK_READERS } },
    { method: 'GET', path: '/api/inventory/{sku}/ledger', fn: 'getLedger', auth: { roles: LEDGER_READERS } },
    {
      method: 'PUT',
      path: '/api/inventory/{sku}/sharding',
      fn: 'putSharding',
      auth: { roles: INVENTORY_ADMINS },
    },
    { method: 'POST', path: '/api/reservations', fn: 'reserveStock', auth: { roles: RESERVERS } },
    { method: 'GET', path: '/api/reservations/{id}', fn: 'getReservation', auth: { roles: STOCK_READERS } },
    {
      method: 'DELETE',
      path: '/api/reservations/{id}',
      fn: 'releaseReservation',
      auth: { roles: RESERVERS },
    },
    {
      method: 'POST',
      path: '/api/reservations/{id}/consume',
      fn: 'consumeReservation',
      auth: { roles: SHIPPERS },
    },
  ],
  rules: [
    {
      name: 'inventory-channel-upserted',
      description: 'A channel’s locations or exposure rule changed: recompute its availability',
      pattern: { source: [ChannelUpserted.source], 'detail-type': [ChannelUpserted.detailType] },
      target: { fn: 'onChannelUpserted' },
    },
    {
      name: 'inventory-sku-upserted',
      description: 'A SKU (kit definition) changed: recompute its channel availability',
      pattern: { source: [SkuUpserted.source], 'detail-type': [SkuUpserted.detailType] },
      target: { fn: 'onSkuUpserted' },
    },
  ],
  schedules: [
    {
      name: 'inventory-reservation-sweeper',
      description: 'Expires holds past their expiresAt (TTL is never relied on)',
      expression: 'rate(1 minute)',
      fn: 'sweepReservations',
    },
    {
      name: 'inventory-invariant-check',
      description: 'Proves the four inventory invariants for every position',
      expression: 'rate(15 minutes)',
      fn: 'checkInventory',
    },
  ],
  streams: [
    {
      name: 'inventory-ledger',
      description: 'Position and reservation writes → ledger movements, reservation records, events',
      fn: 'stockStream',
      batchSize: 100,
      // Written positions and reservations only (what processStockStream acts on).
      filters: [{ dynamodb: { NewImage: { entity: { S: ['StockPosition', 'Reservation'] } } } }],
    },
  ],
};
