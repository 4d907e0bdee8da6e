import type { ContextManifest, Role } from './types.ts';

const STOCK_EDITORS: readonly Role[] = ['admin', 'inventory-controller', 'supervisor'];
const STOCK_READERS: readonly Role[] = [
  'admin',
  'supervisor',
  'inventory-controller',
  'warehouse-associate',
  'customer-service',
  'finance',
];

/** Inventory: locations, stock positions, the movement ledger. */
export const inventory: ContextManifest = {
  functions: {
    putLocation: {
      entry: 'functions/inventory/handlers/put-location.ts',
      description: 'PUT /api/locations/{id}: create or replace a stocking location',
      table: 'RW',
    },
    adjustStock: {
      entry: 'functions/inventory/handlers/adjust-stock.ts',
      description: 'POST /api/inventory/adjustments: one ledger movement, conditional position update',
      table: 'RW',
      publishes: true,
    },
    getStock: {
      entry: 'functions/inventory/handlers/get-stock.ts',
      description: 'GET /api/inventory/{sku}: positions with every bucket and available',
      table: 'R',
    },
  },
  routes: [
    { method: 'PUT', path: '/api/locations/{id}', fn: 'putLocation', auth: { roles: ['admin'] } },
    { method: 'POST', path: '/api/inventory/adjustments', fn: 'adjustStock', auth: { roles: STOCK_EDITORS } },
    { method: 'GET', path: '/api/inventory/{sku}', fn: 'getStock', auth: { roles: STOCK_READERS } },
  ],
};
