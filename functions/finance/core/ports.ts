import type { Chart } from './accounts.ts';
import type { CostPosition } from './costing.ts';
import type { JournalEntry, OrderPrices } from './postings.ts';

export interface StoredChart {
  chart: Chart;
  /** The currency of positions finance has no receipt for yet. */
  baseCurrency: string;
}

export interface ReceiptLine {
  receiptRef: string;
  sku: string;
  locationId: string;
  currency: string;
  /** Units received and their value at PO cost. */
  quantity: number;
  value: number;
}

/** What one entry writes, all or nothing. */
export interface EntryCommit {
  entry: JournalEntry;
  /** Each at the version it was read at; written with version + 1, plus a history row. */
  positions: readonly CostPosition[];
  /** Units and value added to a receipt's lines (a receipt's GoodsReceived). */
  receiptLines?: readonly ReceiptLine[];
  /** Kept on the entry (a landed cost's request and allocations). */
  extra?: Record<string, unknown>;
}

export interface ClosedPeriod {
  period: string;
  status: 'closed';
  closedAt: string;
  closedBy: string;
}

/** A return as finance heard of it when its parcel came in (ReturnReceived). */
export interface ReturnFact {
  returnId: string;
  orderId: string;
  channelId: string;
  locationId: string;
  receivedAt: string;
}

/** A refund asked of the channel (RefundRequested), kept to split the issued amount by SKU. */
export interface RefundRequest {
  returnId: string;
  attempt: number;
  amount: number;
  currency: string | null;
  lines: { sku: string; quantity: number; amount: number }[];
}

export interface FinanceStore {
  chart(): Promise<StoredChart>;
  putChart(chart: StoredChart): Promise<void>;
  entry(entryId: string): Promise<(JournalEntry & Record<string, unknown>) | undefined>;
  positions(keys: readonly { sku: string; locationId: string }[]): Promise<CostPosition[]>;
  positionsOf(sku: string): Promise<CostPosition[]>;
  /** Writes it all when the entry is new, the positions unchanged and the period open; else false. */
  commit(c: EntryCommit): Promise<boolean>;
  receiptLines(receiptRef: string): Promise<ReceiptLine[]>;
  orderPrices(orderId: string): Promise<OrderPrices | undefined>;
  /** Keeps the prices unless newer ones are stored already. */
  putOrderPrices(prices: OrderPrices): Promise<void>;
  /** Orders finance has prices for, placed on a day (UTC), in placing order, page by page. */
  ordersOfDay(day: string): AsyncIterable<OrderPrices>;
  /** Keeps what finance learnt of a return (the same fact again changes nothing). */
  putReturnFact(fact: ReturnFact): Promise<void>;
  returnFact(returnId: string): Promise<ReturnFact | undefined>;
  putRefundRequest(request: RefundRequest): Promise<void>;
  refundRequest(returnId: string, attempt: number): Promise<RefundRequest | undefined>;
  closedPeriod(period: string): Promise<ClosedPeriod | undefined>;
  closedPeriods(): Promise<ClosedPeriod[]>;
  /** Closes it (audited); false when it was closed already. */
  closePeriod(p: ClosedPeriod): Promise<boolean>;
  /** Every entry of a period, in booking order. */
  entriesOfPeriod(period: string): AsyncIterable<JournalEntry>;
  /** Every entry booked on a day (UTC), in booking order, page by page. */
  entriesOfDay(day: string): AsyncIterable<JournalEntry>;
}

export interface FinancePorts {
  store: FinanceStore;
  /** Kit components of the SKUs that are kits (others absent). */
  kits(skus: readonly string[]): Promise<Map<string, { sku: string; quantity: number }[]>>;
  clock: () => Date;
}
