import type { ContextManifest, Role } from './types.ts';

/** Buyers: there is no buyer role yet; inventory controllers buy stock, as they edit the catalog. */
const BUYERS: readonly Role[] = ['admin', 'inventory-controller'];
/** ASNs come from suppliers by mail or portal: buyers and the receiving floor's supervisors post them. */
const ASN_POSTERS: readonly Role[] = ['admin', 'inventory-controller', 'supervisor'];
/** Receiving at the dock and putaway: the floor (associates and their supervisors) scans, closes, puts away. */
const RECEIVERS: readonly Role[] = ['admin', 'supervisor', 'warehouse-associate'];
/** Transfers are planned by those who plan stock, and by the floor's supervisors. */
const TRANSFER_PLANNERS: readonly Role[] = ['admin', 'inventory-controller', 'supervisor'];
/** Everyone reads inbound: the floor plans receiving, service promises dates, finance follows costs. */
const READERS: readonly Role[] = [
  'admin',
  'supervisor',
  'inventory-controller',
  'warehouse-associate',
  'customer-service',
  'finance',
];

/** Inbound: suppliers, purchase orders, advance shipping notices, incoming stock. */
export const inbound: ContextManifest = {
  functions: {
    putSupplier: {
      entry: 'functions/inbound/handlers/put-supplier.ts',
      description: 'PUT /api/suppliers/{supplierId}: name, lead time, currency, MOQ and case pack',
      table: 'RW',
    },
    listSuppliers: {
      entry: 'functions/inbound/handlers/list-suppliers.ts',
      description: 'GET /api/suppliers: every supplier',
      table: 'R',
    },
    getSupplier: {
      entry: 'functions/inbound/handlers/get-supplier.ts',
      description: 'GET /api/suppliers/{supplierId}',
      table: 'R',
    },
    createPurchaseOrder: {
      entry: 'functions/inbound/handlers/create-purchase-order.ts',
      description: 'POST /api/purchase-orders: place an open PO (idempotent by poId), PurchaseOrderPlaced',
      table: 'RW',
      publishes: true,
    },
    listPurchaseOrders: {
      entry: 'functions/inbound/handlers/list-purchase-orders.ts',
      description: 'GET /api/purchase-orders: by status, supplier and location, paged',
      table: 'R',
    },
    getPurchaseOrder: {
      entry: 'functions/inbound/handlers/get-purchase-order.ts',
      description: 'GET /api/purchase-orders/{poId}: lines with ordered, received and advised units',
      table: 'R',
    },
    cancelPurchaseOrder: {
      entry: 'functions/inbound/handlers/cancel-purchase-order.ts',
      description:
        'POST /api/purchase-orders/{poId}/cancel: the rest is no longer incoming, PurchaseOrderCancelled',
      table: 'RW',
      publishes: true,
    },
    createAsn: {
      entry: 'functions/inbound/handlers/create-asn.ts',
      description: 'POST /api/asns: an advance shipping notice against a PO (idempotent by asnId)',
      table: 'RW',
    },
    uploadAsnCsv: {
      entry: 'functions/inbound/handlers/upload-asn-csv.ts',
      description: 'POST /api/asns/csv: ASNs from a CSV, refused whole when any row is bad',
      table: 'RW',
      timeoutSeconds: 30,
    },
    getAsn: {
      entry: 'functions/inbound/handlers/get-asn.ts',
      description: 'GET /api/asns/{asnId}',
      table: 'R',
    },
    scanReceipt: {
      entry: 'functions/inbound/handlers/scan-receipt.ts',
      description:
        'POST /api/receipts/{asnId}/scans: count units in at the dock (idempotent by scanId), GoodsReceived',
      table: 'RW',
      publishes: true,
    },
    closeReceipt: {
      entry: 'functions/inbound/handlers/close-receipt.ts',
      description:
        'POST /api/receipts/{asnId}/close: exceptions vs the ASN, PO (partially) received, ReceivingExceptionRaised',
      table: 'RW',
      publishes: true,
    },
    listPutawayTasks: {
      entry: 'functions/inbound/handlers/list-putaway-tasks.ts',
      description: 'GET /api/putaway-tasks?locationId=: open putaway tasks with a suggested bin each',
      table: 'R',
    },
    confirmPutaway: {
      entry: 'functions/inbound/handlers/confirm-putaway.ts',
      description:
        'POST /api/putaway-tasks/{taskId}/confirm: RECEIVING → the scanned bin, dock-to-stock, PutawayCompleted',
      table: 'RW',
      publishes: true,
    },
    createTransfer: {
      entry: 'functions/inbound/handlers/create-transfer.ts',
      description: 'POST /api/transfers: a transfer between two locations (idempotent by transferId)',
      table: 'RW',
    },
    shipTransfer: {
      entry: 'functions/inbound/handlers/ship-transfer.ts',
      description:
        'POST /api/transfers/{transferId}/ship: units leave the source, in transit at the destination, TransferShipped',
      table: 'RW',
      publishes: true,
      timeoutSeconds: 30,
    },
    receiveTransfer: {
      entry: 'functions/inbound/handlers/receive-transfer.ts',
      description:
        'POST /api/transfers/{transferId}/receive: into the destination RECEIVING bin, variances, TransferReceived',
      table: 'RW',
      publishes: true,
      timeoutSeconds: 30,
    },
    listTransfers: {
      entry: 'functions/inbound/handlers/list-transfers.ts',
      description: 'GET /api/transfers?status=: transfers in a status, newest first, paged',
      table: 'R',
    },
    getReceipt: {
      entry: 'functions/inbound/handlers/get-receipt.ts',
      description:
        'GET /api/receipts/{asnId}: counts vs the ASN, exceptions, putaway progress, dock-to-stock',
      table: 'R',
    },
    getTransfer: {
      entry: 'functions/inbound/handlers/get-transfer.ts',
      description: 'GET /api/transfers/{transferId}',
      table: 'R',
    },
  },
  routes: [
    { method: 'PUT', path: '/api/suppliers/{supplierId}', fn: 'putSupplier', auth: { roles: BUYERS } },
    { method: 'GET', path: '/api/suppliers', fn: 'listSuppliers', auth: { roles: READERS } },
    { method: 'GET', path: '/api/suppliers/{supplierId}', fn: 'getSupplier', auth: { roles: READERS } },
    { method: 'POST', path: '/api/purchase-orders', fn: 'createPurchaseOrder', auth: { roles: BUYERS } },
    { method: 'GET', path: '/api/purchase-orders', fn: 'listPurchaseOrders', auth: { roles: READERS } },
    { method: 'GET', path: '/api/purchase-orders/{poId}', fn: 'getPurchaseOrder', auth: { roles: READERS } },
    {
      method: 'POST',
      path: '/api/purchase-orders/{poId}/cancel',
      fn: 'cancelPurchaseOrder',
      auth: { roles: BUYERS },
    },
    { method: 'POST', path: '/api/asns', fn: 'createAsn', auth: { roles: ASN_POSTERS } },
    { method: 'POST', path: '/api/asns/csv', fn: 'uploadAsnCsv', auth: { roles: ASN_POSTERS } },
    { method: 'GET', path: '/api/asns/{asnId}', fn: 'getAsn', auth: { roles: READERS } },
    { method: 'POST', path: '/api/receipts/{asnId}/scans', fn: 'scanReceipt', auth: { roles: RECEIVERS } },
    { method: 'POST', path: '/api/receipts/{asnId}/close', fn: 'closeReceipt', auth: { roles: RECEIVERS } },
    { method: 'GET', path: '/api/putaway-tasks', fn: 'listPutawayTasks', auth: { roles: RECEIVERS } },
    {
      method: 'POST',
      path: '/api/putaway-tasks/{taskId}/confirm',
      fn: 'confirmPutaway',
      auth: { roles: RECEIVERS },
    },
    { method: 'POST', path: '/api/transfers', fn: 'createTransfer', auth: { roles: TRANSFER_PLANNERS } },
    {
      method: 'POST',
      path: '/api/transfers/{transferId}/ship',
      fn: 'shipTransfer',
      auth: { roles: RECEIVERS },
    },
    {
      method: 'POST',
      path: '/api/transfers/{transferId}/receive',
      fn: 'receiveTransfer',
      auth: { roles: RECEIVERS },
    },
    { method: 'GET', path: '/api/transfers', fn: 'listTransfers', auth: { roles: READERS } },
    { method: 'GET', path: '/api/transfers/{transferId}', fn: 'getTransfer', auth: { roles: READERS } },
    { method: 'GET', path: '/api/receipts/{asnId}', fn: 'getReceipt', auth: { roles: READERS } },
  ],
};
