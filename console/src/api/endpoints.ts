import type { ReceiptReport, TransferStatus, TransferView } from '../../../functions/inbound/api.ts';
import { api, apiPath, type Query } from './client.ts';
import type {
  AdjustmentBody,
  AdjustmentResult,
  AuditEntry,
  BinView,
  BrowseRow,
  BucketMoveBody,
  Carrier,
  CarrierBody,
  Channel,
  CheckReport,
  DatasetName,
  Disposition,
  ExportRunView,
  Fulfillment,
  FulfillmentSettings,
  FulfillmentStatus,
  IntakeExceptionSummary,
  IntakeExceptionView,
  IntakeOutcome,
  JournalEntry,
  Listing,
  Location,
  LocationView,
  Movement,
  OrderBacklog,
  OrderCounts,
  OrderQuery,
  OrderSummary,
  OrderView,
  Page,
  PeriodView,
  PlannedWave,
  PoStatus,
  PurchaseOrderSummary,
  PurchaseOrderView,
  PutBinBody,
  PutChannelBody,
  PutLocationBody,
  Reconciliation,
  Rejection,
  Reservation,
  ReturnStatus,
  ReturnView,
  RoutingRuleInput,
  RoutingRulesView,
  SimulationReport,
  Sku,
  StockView,
  StoredRuleSet,
  Supplier,
  SyncStatus,
  ThreePLOrder,
  ThreePLReconciliation,
  TrialBalance,
  Wave,
  WaveView,
} from './types.ts';

/**
 * The API pages with an opaque cursor, named `nextCursor` by the platform routes and `cursor`
 * by the inventory and orders routes; screens see one shape.
 */
type RawPage<T> = { items: T[]; nextCursor?: string; cursor?: string } & Record<string, unknown>;

async function paged<T, X extends object = object>(p: Promise<RawPage<T>>): Promise<Page<T> & X> {
  const { cursor, nextCursor, ...rest } = await p;
  const next = nextCursor ?? cursor;
  return { ...(rest as unknown as X), items: rest.items, ...(next ? { nextCursor: next } : {}) } as Page<T> &
    X;
}

/** One function per API route, named after what it does; screens never build URLs themselves. */
export const endpoints = {
  getSku: (sku: string, signal?: AbortSignal) => api.get<Sku>(apiPath`/api/skus/${sku}`, undefined, signal),
  /** Contract (not served yet): barcode and name search. */
  searchSkus: (
    query: { barcode?: string; q?: string; limit?: number; cursor?: string },
    signal?: AbortSignal,
  ) => paged(api.get<RawPage<Sku>>('/api/skus', query, signal)),

  getStock: (sku: string, signal?: AbortSignal) =>
    api.get<StockView>(apiPath`/api/inventory/${sku}`, undefined, signal),
  ledger: (
    sku: string,
    query: { locationId?: string; order?: 'asc' | 'desc'; limit?: number; cursor?: string },
    signal?: AbortSignal,
  ) => paged(api.get<RawPage<Movement>>(apiPath`/api/inventory/${sku}/ledger`, query, signal)),
  adjust: (body: AdjustmentBody) => api.post<AdjustmentResult>('/api/inventory/adjustments', body),
  moveBuckets: (body: BucketMoveBody) => api.post<AdjustmentResult>('/api/inventory/moves', body),
  receive: (body: {
    sku: string;
    locationId: string;
    quantity: number;
    bucket?: ReceiptBucket;
    fromInTransit?: boolean;
    reason: string;
    idempotencyKey: string;
  }) => api.post<AdjustmentResult>('/api/inventory/receipts', body),
  setSharding: (sku: string, shards: number) =>
    api.put<{ sku: string; shards: number }>(apiPath`/api/inventory/${sku}/sharding`, { shards }),
  /** Runs the invariant checker now (all positions, or one SKU's); mismatches are also journalled. */
  checkInventory: (sku?: string) => api.post<CheckReport>('/api/inventory/checks', sku ? { sku } : {}),
  repairPosition: (body: { sku: string; locationId: string; reason: string; idempotencyKey: string }) =>
    api.post<{ sku: string; locationId: string; repairs: unknown[] }>('/api/inventory/repairs', body),

  getReservation: (id: string, signal?: AbortSignal) =>
    api.get<Reservation>(apiPath`/api/reservations/${id}`, undefined, signal),

  events: (
    query: { type?: string; subject?: string; limit?: number; cursor?: string },
    signal?: AbortSignal,
  ) => paged(api.get<RawPage<JournalEntry>>('/api/events', query, signal)),
  audit: (query: Query, signal?: AbortSignal) =>
    paged(api.get<RawPage<AuditEntry>>('/api/audit', query, signal)),

  listLocations: (signal?: AbortSignal) =>
    paged(api.get<RawPage<Location>>('/api/locations', { limit: 200 }, signal)),
  getLocation: (id: string, signal?: AbortSignal) =>
    api.get<LocationView>(apiPath`/api/locations/${id}`, undefined, signal),
  /** Every SKU with its stock per location (kits: buildable), filtered, in SKU order, paged. */
  browseStock: (
    query: {
      locationId?: string;
      filter?: 'low' | 'zero' | 'negative';
      lowAt?: number;
      limit?: number;
      cursor?: string;
    },
    signal?: AbortSignal,
  ) => paged<BrowseRow, { lowAt: number }>(api.get<RawPage<BrowseRow>>('/api/inventory', query, signal)),
  putLocation: (id: string, body: PutLocationBody) => api.put<Location>(apiPath`/api/locations/${id}`, body),
  getChannel: (id: string, signal?: AbortSignal) =>
    api.get<Channel & { hasSecret: boolean }>(apiPath`/api/channels/${id}`, undefined, signal),
  putChannel: (id: string, body: PutChannelBody) =>
    api.put<Channel & { hasSecret: boolean }>(apiPath`/api/channels/${id}`, body),
  getChannelSync: (id: string, signal?: AbortSignal) =>
    api.get<SyncStatus>(apiPath`/api/channels/${id}/sync`, undefined, signal),
  /** 3PL reconciliations (snapshot differences) at one location, newest first. */
  listReconciliations: (
    query: { locationId?: string; status?: 'open' | 'approved'; cursor?: string },
    signal?: AbortSignal,
  ) => paged(api.get<RawPage<ThreePLReconciliation>>('/api/reconciliations', query, signal)),
  approveReconciliation: (id: string, note: string) =>
    api.post<ThreePLReconciliation>(apiPath`/api/reconciliations/${id}/approve`, { note }),
  /** Orders handed to a 3PL and what it reported about them. */
  listThreePLOrders: (
    locationId: string,
    query: { status?: string; cursor?: string },
    signal?: AbortSignal,
  ) => paged(api.get<RawPage<ThreePLOrder>>(apiPath`/api/locations/${locationId}/3pl-orders`, query, signal)),
  resyncChannel: (id: string) =>
    api.post<{ channelId: string; skus: number }>(apiPath`/api/channels/${id}/resync`),
  putListing: (channelId: string, externalId: string, sku: string) =>
    api.put<Listing & { skuKnown: boolean }>(apiPath`/api/channels/${channelId}/listings/${externalId}`, {
      sku,
    }),

  getOrder: (id: string, signal?: AbortSignal) =>
    api.get<OrderView>(apiPath`/api/orders/${id}`, undefined, signal),
  placeHold: (id: string, reason: string) => api.post<unknown>(apiPath`/api/orders/${id}/holds`, { reason }),
  releaseHold: (id: string, holdId: string, note?: string) =>
    api.post<unknown>(apiPath`/api/orders/${id}/holds/${holdId}/release`, note ? { note } : {}),
  cancelOrder: (id: string, reason?: string) =>
    api.post<unknown>(apiPath`/api/orders/${id}/cancel`, reason ? { reason } : {}),
  retryOrder: (id: string, note?: string) =>
    api.post<unknown>(apiPath`/api/orders/${id}/retry`, note ? { note } : {}),

  getRoutingRules: (signal?: AbortSignal) =>
    api.get<RoutingRulesView>('/api/routing-rules', undefined, signal),
  putRoutingRules: (body: { rules: RoutingRuleInput; note?: string; expectedVersion?: number }) =>
    api.put<StoredRuleSet>('/api/routing-rules', body),
  simulateRouting: (body: { rules: RoutingRuleInput; days?: number }) =>
    api.post<SimulationReport>('/api/routing-rules/simulate', body),

  /** Work queues: order summaries newest first, by status, channel, location and placement time. */
  listOrders: (query: OrderQuery, signal?: AbortSignal) =>
    paged(api.get<RawPage<OrderSummary>>('/api/orders', { ...query }, signal)),
  orderCounts: (query: { locationId?: string }, signal?: AbortSignal) =>
    api.get<OrderCounts>('/api/orders/counts', query, signal),
  orderBacklog: (query: { days?: number }, signal?: AbortSignal) =>
    api.get<OrderBacklog>('/api/orders/backlog', query, signal),
  /** The one order with this channel order id (a point lookup): none or one, whole. */
  findOrder: (query: { channelId: string; externalId: string }, signal?: AbortSignal) =>
    paged(api.get<RawPage<OrderView>>('/api/orders', query, signal)),

  intakeExceptions: (
    query: { status?: 'open' | 'resolved'; channelId?: string; limit?: number; cursor?: string },
    signal?: AbortSignal,
  ) => paged(api.get<RawPage<IntakeExceptionSummary>>('/api/intake/exceptions', query, signal)),
  /** One exception with its issues and raw body (the list carries neither). */
  intakeException: (id: string, signal?: AbortSignal) =>
    api.get<IntakeExceptionView>(apiPath`/api/intake/exceptions/${id}`, undefined, signal),
  replayException: (id: string) =>
    api.post<{ exceptionId: string; status: string; outcome: IntakeOutcome; alreadyResolved: boolean }>(
      apiPath`/api/intake/exceptions/${id}/replay`,
    ),
  // Fulfillment: bins, carriers, waves, pick, pack, ship.
  listBins: (locationId: string, signal?: AbortSignal) =>
    api.get<{ items: BinView[] }>(apiPath`/api/locations/${locationId}/bins`, undefined, signal),
  putBin: (locationId: string, binId: string, body: PutBinBody) =>
    api.put<BinView>(apiPath`/api/locations/${locationId}/bins/${binId}`, body),
  listCarriers: (signal?: AbortSignal) => api.get<{ items: Carrier[] }>('/api/carriers', undefined, signal),
  putCarrier: (carrierId: string, body: CarrierBody) =>
    api.put<Carrier>(apiPath`/api/carriers/${carrierId}`, body),
  getFulfillmentSettings: (locationId: string, signal?: AbortSignal) =>
    api.get<FulfillmentSettings>(apiPath`/api/fulfillment-settings/${locationId}`, undefined, signal),
  putFulfillmentSettings: (locationId: string, body: Partial<FulfillmentSettings>) =>
    api.put<FulfillmentSettings>(apiPath`/api/fulfillment-settings/${locationId}`, body),
  listWaves: (query: { locationId: string; status?: string; cursor?: string }, signal?: AbortSignal) =>
    paged(api.get<RawPage<Wave>>('/api/waves', query, signal)),
  getWave: (waveId: string, signal?: AbortSignal) =>
    api.get<WaveView>(apiPath`/api/waves/${waveId}`, undefined, signal),
  planWave: (body: { locationId: string; maxOrders?: number }) => api.post<PlannedWave>('/api/waves', body),
  listFulfillments: (
    query: { locationId: string; status: FulfillmentStatus; cursor?: string },
    signal?: AbortSignal,
  ) => paged(api.get<RawPage<Fulfillment>>('/api/fulfillments', query, signal)),
  // The pack station's calls are in pack-endpoints.ts (its own chunk, for the handheld's first load).

  // Inbound: suppliers and purchase orders.
  listSuppliers: (signal?: AbortSignal) =>
    api.get<{ items: Supplier[] }>('/api/suppliers', undefined, signal),
  listPurchaseOrders: (
    query: { status?: PoStatus; supplierId?: string; locationId?: string; limit?: number; cursor?: string },
    signal?: AbortSignal,
  ) => paged(api.get<RawPage<PurchaseOrderSummary>>('/api/purchase-orders', query, signal)),
  getPurchaseOrder: (poId: string, signal?: AbortSignal) =>
    api.get<PurchaseOrderView>(apiPath`/api/purchase-orders/${poId}`, undefined, signal),
  createPurchaseOrder: (body: {
    poId: string;
    supplierId: string;
    locationId: string;
    expectedAt: string;
    lines: { sku: string; quantity: number; unitCost: string }[];
  }) => api.post<PurchaseOrderView>('/api/purchase-orders', body),

  getReceipt: (asnId: string, signal?: AbortSignal) =>
    api.get<ReceiptReport>(apiPath`/api/receipts/${asnId}`, undefined, signal),

  // Inbound: transfers between locations.
  listTransfers: (query: { status: TransferStatus; cursor?: string }, signal?: AbortSignal) =>
    paged(api.get<RawPage<TransferView>>('/api/transfers', query, signal)),
  createTransfer: (body: {
    transferId: string;
    fromLocationId: string;
    toLocationId: string;
    lines: { sku: string; quantity: number }[];
    expectedAt?: string;
  }) => api.post<TransferView>('/api/transfers', body),
  shipTransfer: (transferId: string) => api.post<TransferView>(apiPath`/api/transfers/${transferId}/ship`),
  receiveTransfer: (transferId: string, lines: { sku: string; quantity: number }[]) =>
    api.post<TransferView>(apiPath`/api/transfers/${transferId}/receive`, { lines }),

  // Returns: RMAs, their decisions, the dock's receipt, inspection, refund outcome.
  listReturns: (query: { status?: ReturnStatus; orderId?: string }, signal?: AbortSignal) =>
    api.get<{ items: ReturnView[] }>('/api/returns', query, signal),
  getReturn: (returnId: string, signal?: AbortSignal) =>
    api.get<ReturnView>(apiPath`/api/returns/${returnId}`, undefined, signal),
  decideReturn: (returnId: string, decision: 'approve' | 'reject', reason: string) =>
    api.post<ReturnView>(
      decision === 'approve'
        ? apiPath`/api/returns/${returnId}/approve`
        : apiPath`/api/returns/${returnId}/reject`,
      { reason },
    ),
  receiveReturn: (
    returnId: string,
    body: { locationId: string; lines: { sku: string; quantity: number }[] },
  ) => api.post<ReturnView>(apiPath`/api/returns/${returnId}/receipts`, body),
  inspectReturn: (
    returnId: string,
    body: { inspectionId: string; lines: { sku: string; quantity: number; disposition: Disposition }[] },
  ) => api.post<ReturnView>(apiPath`/api/returns/${returnId}/inspections`, body),
  recordRefund: (
    returnId: string,
    body: { status: 'issued' | 'failed'; reference?: string; message?: string },
  ) => api.post<ReturnView>(apiPath`/api/returns/${returnId}/refund`, body),
  retryRefund: (returnId: string) => api.post<ReturnView>(apiPath`/api/returns/${returnId}/refund/retry`),

  // Finance: trial balance, periods, export runs.
  trialBalance: (period: string, signal?: AbortSignal) =>
    api.get<TrialBalance>('/api/finance/trial-balance', { period }, signal),
  reconciliation: (date: string, signal?: AbortSignal) =>
    api.get<Reconciliation>('/api/finance/reconciliation', { date }, signal),
  listPeriods: (signal?: AbortSignal) =>
    api.get<{ items: PeriodView[] }>('/api/finance/periods', undefined, signal),
  closePeriod: (period: string) => api.post<PeriodView>(apiPath`/api/finance/periods/${period}/close`),
  listExports: (signal?: AbortSignal) =>
    api.get<{ items: ExportRunView[] }>('/api/finance/exports', undefined, signal),
  requestExport: (body: { date: string; datasets?: DatasetName[] }) =>
    api.post<{ runId: string }>('/api/finance/exports', body),

  rejections: (query: { limit?: number; cursor?: string }, signal?: AbortSignal) =>
    paged<Rejection, { counts: RejectionCount[] }>(
      api.get<RawPage<Rejection>>('/api/intake/rejections', query, signal),
    ),
};

export type ReceiptBucket = 'available' | 'damaged' | 'quarantined' | 'returnedPending';

export interface RejectionCount {
  channelId: string;
  day: string;
  rejected: number;
  lastReason: string;
  lastAt: string;
}
