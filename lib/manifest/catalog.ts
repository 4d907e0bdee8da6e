import type { ContextManifest, Role } from './types.ts';

const CATALOG_EDITORS: readonly Role[] = ['admin', 'inventory-controller'];
const EVERYONE: readonly Role[] = [
  'admin',
  'supervisor',
  'inventory-controller',
  'warehouse-associate',
  'customer-service',
  'finance',
];

/** Catalog: SKUs, barcodes, kits. */
export const catalog: ContextManifest = {
  functions: {
    putSku: {
      entry: 'functions/catalog/handlers/put-sku.ts',
      description: 'PUT /api/skus/{sku}: create or replace a SKU (name, barcodes, kit components)',
      table: 'RW',
      publishes: true,
    },
    searchSkus: {
      entry: 'functions/catalog/handlers/search-skus.ts',
      description:
        'GET /api/skus?barcode=|q=: find SKUs by scanned barcode, code prefix or name; or list the catalog',
      table: 'R',
    },
    getSku: {
      entry: 'functions/catalog/handlers/get-sku.ts',
      description: 'GET /api/skus/{sku}',
      table: 'R',
    },
  },
  routes: [
    { method: 'PUT', path: '/api/skus/{sku}', fn: 'putSku', auth: { roles: CATALOG_EDITORS } },
    { method: 'GET', path: '/api/skus', fn: 'searchSkus', auth: { roles: EVERYONE } },
    { method: 'GET', path: '/api/skus/{sku}', fn: 'getSku', auth: { roles: EVERYONE } },
  ],
};
