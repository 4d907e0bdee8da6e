import { FinanceExportRequested } from '../../functions/finance/events/export-requested.ts';
import { PickShorted } from '../../functions/fulfillment/events/pick-shorted.ts';
import { ShipmentConfirmed } from '../../functions/fulfillment/events/shipment-confirmed.ts';
import { GoodsReceived } from '../../functions/inbound/events/goods-received.ts';
import { StockAdjusted } from '../../functions/inventory/events/stock-adjusted.ts';
import { OrderReceived } from '../../functions/orders/events/order-received.ts';
import { OrderUpdated } from '../../functions/orders/events/order-updated.ts';
import { RefundIssued } from '../../functions/returns/events/refund-issued.ts';
import { RefundRequested } from '../../functions/returns/events/refund-requested.ts';
import { ReturnDispositioned } from '../../functions/returns/events/return-dispositioned.ts';
import { ReturnReceived } from '../../functions/returns/events/return-received.ts';
import type { ContextManifest, Role } from './types.ts';

/** Finance keeps the books; admins set them up. */
const FINANCE: readonly Role[] = ['admin', 'finance'];
/** Costs and the trial balance are read by those who value stock too. */
const READERS: readonly Role[] = ['admin', 'finance', 'inventory-controller', 'supervisor'];

/** The events that move money or stock value, one consumer for all (each entry is idempotent by event id). */
const FINANCIAL_EVENTS = [
  GoodsReceived,
  ShipmentConfirmed,
  PickShorted,
  StockAdjusted,
  OrderReceived,
  OrderUpdated,
  ReturnReceived,
  ReturnDispositioned,
  // Kept for its lines (the issued refund is split by SKU as requested); a failed refund moves no money.
  RefundRequested,
  RefundIssued,
];

/** Finance: chart of accounts, moving-average cost, balanced postings, periods, exports. */
export const finance: ContextManifest = {
  functions: {
    putAccounts: {
      entry: 'functions/finance/handlers/put-accounts.ts',
      description: 'PUT /api/finance/accounts: the chart of accounts (codes and names per account role)',
      table: 'RW',
    },
    getAccounts: {
      entry: 'functions/finance/handlers/get-accounts.ts',
      description: 'GET /api/finance/accounts: the chart of accounts in force',
      table: 'R',
    },
    postLandedCost: {
      entry: 'functions/finance/handlers/post-landed-cost.ts',
      description: 'POST /api/finance/landed-costs: allocate freight, duty and other to a receipt, once',
      table: 'RW',
    },
    closePeriod: {
      entry: 'functions/finance/handlers/close-period.ts',
      description: 'POST /api/finance/periods/{period}/close: a closed month takes no postings',
      table: 'RW',
    },
    listPeriods: {
      entry: 'functions/finance/handlers/list-periods.ts',
      description: 'GET /api/finance/periods: closed months and the open one',
      table: 'R',
    },
    getTrialBalance: {
      entry: 'functions/finance/handlers/get-trial-balance.ts',
      description: 'GET /api/finance/trial-balance?period=: debits and credits per account',
      table: 'R',
      timeoutSeconds: 30,
    },
    getReconciliation: {
      entry: 'functions/finance/handlers/get-reconciliation.ts',
      description: 'GET /api/finance/reconciliation?date=: orders vs shipments vs postings vs refunds',
      table: 'R',
      timeoutSeconds: 30,
    },
    getCosts: {
      entry: 'functions/finance/handlers/get-costs.ts',
      description: 'GET /api/finance/costs/{sku}: moving-average cost per location',
      table: 'R',
    },
    requestExport: {
      entry: 'functions/finance/handlers/request-export.ts',
      description: 'POST /api/finance/exports: 202 { runId }, FinanceExportRequested',
      table: 'RW',
      publishes: true,
    },
    getExport: {
      entry: 'functions/finance/handlers/get-export.ts',
      description: 'GET /api/finance/exports/{runId}: status, rows and files per dataset',
      table: 'R',
    },
    listExports: {
      entry: 'functions/finance/handlers/list-exports.ts',
      description: 'GET /api/finance/exports: the most recent runs',
      table: 'R',
    },
    runExport: {
      entry: 'functions/finance/handlers/run-export.ts',
      description: 'FinanceExportRequested → Parquet, CSV and manifest per dataset in the exports bucket',
      table: 'RW',
      exportsBucket: 'RW',
      timeoutSeconds: 900,
      memoryMb: 1024,
    },
    scheduledExport: {
      entry: 'functions/finance/handlers/scheduled-export.ts',
      description: "Daily: yesterday's finance datasets to the exports bucket",
      table: 'RW',
      exportsBucket: 'RW',
      timeoutSeconds: 900,
      memoryMb: 1024,
    },
    onFinancialEvent: {
      entry: 'functions/finance/handlers/on-financial-event.ts',
      urgency: 'bookkeeping',
      description:
        'Receipts, shipments, short picks, adjustments, returns, refunds → balanced journal entries at moving-average cost',
      table: 'RW',
    },
  },
  routes: [
    { method: 'GET', path: '/api/finance/accounts', fn: 'getAccounts', auth: { roles: READERS } },
    { method: 'PUT', path: '/api/finance/accounts', fn: 'putAccounts', auth: { roles: FINANCE } },
    { method: 'POST', path: '/api/finance/landed-costs', fn: 'postLandedCost', auth: { roles: FINANCE } },
    { method: 'GET', path: '/api/finance/periods', fn: 'listPeriods', auth: { roles: READERS } },
    {
      method: 'POST',
      path: '/api/finance/periods/{period}/close',
      fn: 'closePeriod',
      auth: { roles: FINANCE },
    },
    { method: 'GET', path: '/api/finance/trial-balance', fn: 'getTrialBalance', auth: { roles: READERS } },
    {
      method: 'GET',
      path: '/api/finance/reconciliation',
      fn: 'getReconciliation',
      auth: { roles: READERS },
    },
    { method: 'GET', path: '/api/finance/costs/{sku}', fn: 'getCosts', auth: { roles: READERS } },
    { method: 'POST', path: '/api/finance/exports', fn: 'requestExport', auth: { roles: FINANCE } },
    { method: 'GET', path: '/api/finance/exports', fn: 'listExports', auth: { roles: FINANCE } },
    { method: 'GET', path: '/api/finance/exports/{runId}', fn: 'getExport', auth: { roles: FINANCE } },
  ],
  rules: [
    {
      name: 'finance-postings',
      description:
        'Financially relevant events become balanced journal entries (order events keep prices, refund requests their lines)',
      // Detail types are unique across sources, so the cross product matches exactly these events.
      pattern: {
        source: [...new Set(FINANCIAL_EVENTS.map((e) => e.source))],
        'detail-type': FINANCIAL_EVENTS.map((e) => e.detailType),
      },
      target: { fn: 'onFinancialEvent' },
    },
    {
      name: 'finance-exports',
      description: 'A requested export run writes its datasets',
      pattern: {
        source: [FinanceExportRequested.source],
        'detail-type': [FinanceExportRequested.detailType],
      },
      target: { fn: 'runExport' },
    },
  ],
  schedules: [
    {
      name: 'finance-daily-export',
      description:
        "Yesterday's finance datasets (journal lines, valuation, orders, shipments, returns, channel margin) to S3 for Athena (01:30 UTC)",
      expression: 'cron(30 1 * * ? *)',
      fn: 'scheduledExport',
    },
  ],
};
