import { PickShorted } from '../../functions/fulfillment/events/pick-shorted.ts';
import { ShipmentConfirmed } from '../../functions/fulfillment/events/shipment-confirmed.ts';
import { GoodsReceived } from '../../functions/inbound/events/goods-received.ts';
import { InventoryMismatchDetected } from '../../functions/inventory/events/inventory-mismatch-detected.ts';
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

// ---- Cycle counts (issue 16, item 6) ----
// Appended to the object above rather than written into it, so parallel work on inbound
// (transfers, promise dates) and counting touch different lines of this file.

/** Who asks for counts and reads their outcome: inventory control and the floor's supervisors. */
const COUNT_PLANNERS: readonly Role[] = ['admin', 'supervisor', 'inventory-controller'];
/** Who counts: the floor and whoever covers for it. Counters never see expected units. */
const COUNTERS: readonly Role[] = ['admin', 'supervisor', 'inventory-controller', 'warehouse-associate'];
/** Variances show expected units: not for counters; finance reads what it will post. */
const VARIANCE_READERS: readonly Role[] = ['admin', 'supervisor', 'inventory-controller', 'finance'];
/** A variance beyond tolerance, and the tolerance itself, are a supervisor's call. */
const COUNT_APPROVERS: readonly Role[] = ['admin', 'supervisor'];

inbound.functions = {
  ...inbound.functions,
  createCycleCount: {
    entry: 'functions/inbound/counts/handlers/create-cycle-count.ts',
    description: 'POST /api/cycle-counts: a blind count task per bin named or per bin of an ABC class',
    table: 'RW',
  },
  listCountTasks: {
    entry: 'functions/inbound/counts/handlers/list-count-tasks.ts',
    description: 'GET /api/count-tasks?locationId=: open count tasks in walk order (blind)',
    table: 'R',
  },
  getCountTask: {
    entry: 'functions/inbound/counts/handlers/get-count-task.ts',
    description: 'GET /api/count-tasks/{taskId}: a count task without expected units',
    table: 'R',
  },
  submitCount: {
    entry: 'functions/inbound/counts/handlers/submit-count.ts',
    description:
      'POST /api/count-tasks/{taskId}/submit: variances within tolerance posted, others pending, CountVariancePosted',
    table: 'RW',
    publishes: true,
  },
  listCountVariances: {
    entry: 'functions/inbound/counts/handlers/list-count-variances.ts',
    description: 'GET /api/count-variances?status=: the approval queue',
    table: 'R',
  },
  approveCountVariance: {
    entry: 'functions/inbound/counts/handlers/approve-count-variance.ts',
    description:
      'POST /api/count-variances/{id}/approve: post the variance to the ledger, CountVariancePosted',
    table: 'RW',
    publishes: true,
  },
  rejectCountVariance: {
    entry: 'functions/inbound/counts/handlers/reject-count-variance.ts',
    description: 'POST /api/count-variances/{id}/reject: refuse the variance; stock unchanged',
    table: 'RW',
  },
  getCountSettings: {
    entry: 'functions/inbound/counts/handlers/get-count-settings.ts',
    description: 'GET /api/count-settings: ABC cut-offs, tolerance, count intervals',
    table: 'R',
  },
  putCountSettings: {
    entry: 'functions/inbound/counts/handlers/put-count-settings.ts',
    description: 'PUT /api/count-settings: ABC cut-offs, tolerance, count intervals',
    table: 'RW',
  },
  getAbcClasses: {
    entry: 'functions/inbound/counts/handlers/get-abc-classes.ts',
    description: 'GET /api/abc-classes: SKUs by value velocity (shipped units × last received unit cost)',
    table: 'R',
  },
  getCountAccuracy: {
    entry: 'functions/inbound/counts/handlers/get-count-accuracy.ts',
    description: 'GET /api/count-accuracy?locationId=: share of counted SKU-bins within tolerance, per class',
    table: 'R',
  },
  onPickShortedCount: {
    entry: 'functions/inbound/counts/handlers/on-pick-shorted-count.ts',
    description: 'PickShorted with a count requested: a count task for the bin',
    table: 'RW',
  },
  onMismatchCount: {
    entry: 'functions/inbound/counts/handlers/on-mismatch-count.ts',
    description: 'InventoryMismatchDetected: a count task for each bin holding the SKU at the location',
    table: 'RW',
  },
  onShipmentVelocity: {
    entry: 'functions/inbound/counts/handlers/on-shipment-velocity.ts',
    urgency: 'bookkeeping',
    description: 'ShipmentConfirmed: shipped units per SKU and month (ABC velocity)',
    table: 'RW',
  },
  onGoodsReceivedCost: {
    entry: 'functions/inbound/counts/handlers/on-goods-received-cost.ts',
    urgency: 'bookkeeping',
    description: 'GoodsReceived: the SKU’s last received unit cost (ABC value)',
    table: 'RW',
  },
  raiseDueCounts: {
    entry: 'functions/inbound/counts/handlers/raise-due-counts.ts',
    description: 'Scheduled: count tasks for bins whose class interval has passed (A 30, B 90, C 365 days)',
    table: 'RW',
    timeoutSeconds: 120,
  },
};

inbound.routes = [
  ...(inbound.routes ?? []),
  { method: 'POST', path: '/api/cycle-counts', fn: 'createCycleCount', auth: { roles: COUNT_PLANNERS } },
  { method: 'GET', path: '/api/count-tasks', fn: 'listCountTasks', auth: { roles: COUNTERS } },
  { method: 'GET', path: '/api/count-tasks/{taskId}', fn: 'getCountTask', auth: { roles: COUNTERS } },
  { method: 'POST', path: '/api/count-tasks/{taskId}/submit', fn: 'submitCount', auth: { roles: COUNTERS } },
  {
    method: 'GET',
    path: '/api/count-variances',
    fn: 'listCountVariances',
    auth: { roles: VARIANCE_READERS },
  },
  {
    method: 'POST',
    path: '/api/count-variances/{id}/approve',
    fn: 'approveCountVariance',
    auth: { roles: COUNT_APPROVERS },
  },
  {
    method: 'POST',
    path: '/api/count-variances/{id}/reject',
    fn: 'rejectCountVariance',
    auth: { roles: COUNT_APPROVERS },
  },
  { method: 'GET', path: '/api/count-settings', fn: 'getCountSettings', auth: { roles: VARIANCE_READERS } },
  { method: 'PUT', path: '/api/count-settings', fn: 'putCountSettings', auth: { roles: COUNT_APPROVERS } },
  { method: 'GET', path: '/api/abc-classes', fn: 'getAbcClasses', auth: { roles: VARIANCE_READERS } },
  { method: 'GET', path: '/api/count-accuracy', fn: 'getCountAccuracy', auth: { roles: VARIANCE_READERS } },
];

inbound.rules = [
  ...(inbound.rules ?? []),
  {
    name: 'inbound-count-on-pick-shorted',
    description: 'A short pick that puts a bin in doubt raises a count task for it',
    pattern: { source: [PickShorted.source], 'detail-type': [PickShorted.detailType] },
    target: { fn: 'onPickShortedCount' },
  },
  {
    name: 'inbound-count-on-mismatch',
    description: 'A position the invariant checker doubts raises counts of the bins holding the SKU',
    pattern: {
      source: [InventoryMismatchDetected.source],
      'detail-type': [InventoryMismatchDetected.detailType],
    },
    target: { fn: 'onMismatchCount' },
  },
  {
    name: 'inbound-count-velocity',
    description: 'Shipped units per SKU and month, for the ABC classes',
    pattern: { source: [ShipmentConfirmed.source], 'detail-type': [ShipmentConfirmed.detailType] },
    target: { fn: 'onShipmentVelocity' },
  },
  {
    name: 'inbound-count-unit-cost',
    description: 'Each SKU’s last received unit cost, for the ABC classes',
    pattern: { source: [GoodsReceived.source], 'detail-type': [GoodsReceived.detailType] },
    target: { fn: 'onGoodsReceivedCost' },
  },
];

inbound.schedules = [
  ...(inbound.schedules ?? []),
  {
    name: 'inbound-count-scheduler',
    description: 'Raises count tasks for bins due by their ABC class (A monthly, B quarterly, C yearly)',
    expression: 'rate(1 day)',
    fn: 'raiseDueCounts',
  },
];
