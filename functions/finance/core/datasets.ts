import type { AccountRole } from './accounts.ts';
import type { CostPosition } from './costing.ts';
import { unitCost } from './costing.ts';
import type { Column, Money, Row } from './export-files.ts';
import { KPI_DAILY_COLUMNS, type KpiDailyRow, kpiDailyRows } from './kpi-dataset.ts';
import type { FinanceStore } from './ports.ts';
import type { ReturnActivity, ShipmentRecord } from './posting-service.ts';
import type { JournalEntry } from './postings.ts';

/**
 * The datasets finance exports for Athena, one registry: a dataset is its columns (the Parquet
 * schema, the CSV header and the Glue table all come from them) and a stream of rows for a day,
 * in a stable order. Every source reads finance's own records (entries with what their event
 * carried, order prices, cost history), page by page, so memory never holds a day. A new dataset
 * is one entry here.
 */

/** What a dataset reads. */
export interface DatasetSource {
  store: FinanceStore;
  /** The cost of every position as it stood at `at` (its last change at or before it), in SKU order. */
  valuationAsOf(at: string): AsyncIterable<CostPosition>;
  /** Oversight's KPI rows of a day (`kpis_daily`). */
  kpisOfDay(date: string): Promise<readonly KpiDailyRow[]>;
}

interface Dataset {
  columns: readonly Column[];
  rows(source: DatasetSource, date: string): AsyncIterable<Row>;
}

type JournalEntryRecord = JournalEntry & { shipment?: ShipmentRecord; returnActivity?: ReturnActivity };

const money = (minor: number | null, currency: string | null): Money | null =>
  minor === null || currency === null ? null : { minor, currency };

/** The end of a UTC day, inclusive: what a day's snapshot is as of. */
const endOfDay = (date: string) => `${date}T23:59:59.999Z`;

const JOURNAL_LINES: Dataset = {
  columns: [
    { name: 'entry_id', kind: 'string' },
    { name: 'line_no', kind: 'int32' },
    { name: 'posted_at', kind: 'timestamp' },
    { name: 'period', kind: 'string' },
    { name: 'account', kind: 'string' },
    { name: 'debit', kind: 'money' },
    { name: 'credit', kind: 'money' },
    { name: 'currency', kind: 'string' },
    { name: 'source_event_id', kind: 'string' },
    { name: 'source_type', kind: 'string' },
    { name: 'reference', kind: 'string', nullable: true },
    { name: 'sku', kind: 'string', nullable: true },
    { name: 'location_id', kind: 'string', nullable: true },
    { name: 'channel_id', kind: 'string', nullable: true },
  ],
  /** Lines booked that day (their entry's `recordedAt`), so a day once over always exports the same rows. */
  async *rows({ store }, date) {
    for await (const e of store.entriesOfDay(date)) {
      for (const l of e.lines) {
        yield {
          entry_id: e.entryId,
          line_no: l.lineNo,
          posted_at: e.postedAt,
          period: e.period,
          account: l.account,
          debit: { minor: l.debit, currency: l.currency },
          credit: { minor: l.credit, currency: l.currency },
          currency: l.currency,
          source_event_id: e.sourceEventId,
          source_type: e.sourceType,
          reference: l.reference,
          sku: l.sku,
          location_id: l.locationId,
          channel_id: l.channelId,
        };
      }
    }
  },
};

const INVENTORY_VALUATION: Dataset = {
  columns: [
    { name: 'as_of', kind: 'timestamp' },
    { name: 'sku', kind: 'string' },
    { name: 'location_id', kind: 'string' },
    { name: 'currency', kind: 'string' },
    { name: 'quantity', kind: 'int64' },
    { name: 'unit_cost', kind: 'money' },
    { name: 'value', kind: 'money' },
  ],
  /** Each position as it stood at the end of the day. */
  async *rows(source, date) {
    const asOf = endOfDay(date);
    for await (const p of source.valuationAsOf(asOf)) {
      if (p.quantity === 0 && p.value === 0) continue;
      yield {
        as_of: asOf,
        sku: p.sku,
        location_id: p.locationId,
        currency: p.currency,
        quantity: p.quantity,
        unit_cost: { minor: unitCost(p), currency: p.currency },
        value: { minor: p.value, currency: p.currency },
      };
    }
  },
};

const ORDERS: Dataset = {
  columns: [
    { name: 'order_id', kind: 'string' },
    { name: 'line_id', kind: 'string' },
    { name: 'placed_at', kind: 'timestamp' },
    { name: 'channel_id', kind: 'string' },
    { name: 'sku', kind: 'string' },
    { name: 'quantity', kind: 'int32' },
    { name: 'currency', kind: 'string', nullable: true },
    { name: 'unit_price', kind: 'money', nullable: true },
    { name: 'discount', kind: 'money', nullable: true },
    { name: 'line_total', kind: 'money', nullable: true },
  ],
  /**
   * Order lines placed that day (UTC), at the prices finance holds (the latest order event's), in
   * placing order then line order. Lines without a price have empty money cells.
   */
  async *rows({ store }, date) {
    for await (const o of store.ordersOfDay(date)) {
      for (const l of o.lines) {
        const priced = o.currency !== null && l.unitPrice !== null;
        const discount = l.discount ?? 0;
        yield {
          order_id: o.orderId,
          line_id: l.lineId,
          placed_at: o.placedAt ?? o.asOf,
          channel_id: o.channelId,
          sku: l.sku,
          quantity: l.quantity,
          currency: o.currency,
          unit_price: priced ? money(l.unitPrice, o.currency) : null,
          discount: priced ? money(discount, o.currency) : null,
          line_total: priced ? money((l.unitPrice as number) * l.quantity - discount, o.currency) : null,
        };
      }
    }
  },
};

const SHIPMENTS: Dataset = {
  columns: [
    { name: 'shipment_id', kind: 'string' },
    { name: 'shipped_at', kind: 'timestamp' },
    { name: 'order_id', kind: 'string' },
    { name: 'channel_id', kind: 'string' },
    { name: 'location_id', kind: 'string' },
    { name: 'line_id', kind: 'string' },
    { name: 'sku', kind: 'string' },
    { name: 'quantity', kind: 'int32' },
    { name: 'carrier', kind: 'string' },
    { name: 'service', kind: 'string' },
    { name: 'tracking_number', kind: 'string' },
    { name: 'entry_id', kind: 'string' },
  ],
  /** Parcels whose postings were booked that day, one row per order line, in booking order. */
  async *rows({ store }, date) {
    for await (const e of store.entriesOfDay(date) as AsyncIterable<JournalEntryRecord>) {
      const s = e.shipment;
      if (!s) continue;
      for (const l of s.lines) {
        yield {
          shipment_id: s.shipmentId,
          shipped_at: s.shippedAt,
          order_id: s.orderId,
          channel_id: s.channelId,
          location_id: s.locationId,
          line_id: l.lineId,
          sku: l.sku,
          quantity: l.quantity,
          carrier: s.carrier,
          service: s.service,
          tracking_number: s.trackingNumber,
          entry_id: e.entryId,
        };
      }
    }
  },
};

const RETURNS: Dataset = {
  columns: [
    { name: 'return_id', kind: 'string' },
    { name: 'event', kind: 'string' },
    { name: 'at', kind: 'timestamp' },
    { name: 'order_id', kind: 'string' },
    { name: 'channel_id', kind: 'string', nullable: true },
    { name: 'location_id', kind: 'string', nullable: true },
    { name: 'sku', kind: 'string', nullable: true },
    { name: 'quantity', kind: 'int32', nullable: true },
    { name: 'disposition', kind: 'string', nullable: true },
    { name: 'cost_currency', kind: 'string', nullable: true },
    { name: 'cost_value', kind: 'money', nullable: true },
    { name: 'refund_currency', kind: 'string', nullable: true },
    { name: 'refund_amount', kind: 'money', nullable: true },
    { name: 'entry_id', kind: 'string' },
  ],
  /**
   * What happened to returns, booked that day: units received, each disposition with the cost it
   * moved, each refund (split by SKU), one row per line, in booking order.
   */
  async *rows({ store }, date) {
    for await (const e of store.entriesOfDay(date) as AsyncIterable<JournalEntryRecord>) {
      const a = e.returnActivity;
      if (!a) continue;
      for (const l of a.lines) {
        yield {
          return_id: a.returnId,
          event: a.event,
          at: a.at,
          order_id: a.orderId,
          channel_id: a.channelId,
          location_id: a.locationId,
          sku: l.sku,
          quantity: l.quantity,
          disposition: l.disposition,
          cost_currency: l.costCurrency,
          cost_value: money(l.cost, l.costCurrency),
          refund_currency: l.refundCurrency,
          refund_amount: money(l.refund, l.refundCurrency),
          entry_id: e.entryId,
        };
      }
    }
  },
};

/** The accounts channel margin is made of, and the sign that makes each a positive figure. */
const MARGIN_ACCOUNTS = {
  revenue: { role: 'revenue', sign: -1 },
  cogs: { role: 'cogs', sign: 1 },
  shipping: { role: 'shipping_income', sign: 1 },
  returns: { role: 'returns_refunds', sign: 1 },
} as const satisfies Record<string, { role: AccountRole; sign: 1 | -1 }>;
type MarginPart = keyof typeof MARGIN_ACCOUNTS;

const CHANNEL_MARGIN: Dataset = {
  columns: [
    { name: 'date', kind: 'string' },
    { name: 'channel_id', kind: 'string', nullable: true },
    { name: 'currency', kind: 'string' },
    { name: 'revenue', kind: 'money' },
    { name: 'cogs', kind: 'money' },
    { name: 'shipping', kind: 'money' },
    { name: 'returns', kind: 'money' },
    { name: 'margin', kind: 'money' },
  ],
  /**
   * Per channel and currency, from the lines booked that day: revenue (credits less debits),
   * COGS net of returned units put back, shipping (the shipping account's debits less credits:
   * a cost, negative when shipping was charged to customers) and refunds; margin = revenue − COGS
   * − shipping − returns. Accounts are matched by the chart's codes in force; lines with no
   * channel (landed cost on units already sold) form a row with an empty channel, last. Only one
   * row per channel and currency is held, so memory does not grow with the day.
   */
  async *rows({ store }, date) {
    const { chart } = await store.chart();
    const partOf = new Map<string, MarginPart>(
      (Object.entries(MARGIN_ACCOUNTS) as [MarginPart, { role: AccountRole }][]).map(([part, a]) => [
        chart[a.role].code,
        part,
      ]),
    );
    const sums = new Map<
      string,
      { channelId: string | null; currency: string } & Record<MarginPart, number>
    >();
    for await (const e of store.entriesOfDay(date)) {
      for (const l of e.lines) {
        const part = partOf.get(l.account);
        if (!part) continue;
        const key = `${l.channelId ?? '\uffff'}\u0000${l.currency}`;
        const s = sums.get(key) ?? {
          channelId: l.channelId,
          currency: l.currency,
          revenue: 0,
          cogs: 0,
          shipping: 0,
          returns: 0,
        };
        s[part] += MARGIN_ACCOUNTS[part].sign * (l.debit - l.credit);
        sums.set(key, s);
      }
    }
    for (const key of [...sums.keys()].sort()) {
      const s = sums.get(key) as NonNullable<ReturnType<typeof sums.get>>;
      const m = (minor: number) => ({ minor, currency: s.currency });
      yield {
        date,
        channel_id: s.channelId,
        currency: s.currency,
        revenue: m(s.revenue),
        cogs: m(s.cogs),
        shipping: m(s.shipping),
        returns: m(s.returns),
        margin: m(s.revenue - s.cogs - s.shipping - s.returns),
      };
    }
  },
};

/** Oversight's KPIs of the day, as its api hands them over (see kpi-dataset.ts). */
const KPIS_DAILY: Dataset = {
  columns: KPI_DAILY_COLUMNS,
  rows: (source, date) => kpiDailyRows(source.kpisOfDay(date)),
};

export const DATASETS = {
  journal_lines: JOURNAL_LINES,
  inventory_valuation: INVENTORY_VALUATION,
  orders: ORDERS,
  shipments: SHIPMENTS,
  returns: RETURNS,
  channel_margin: CHANNEL_MARGIN,
  kpis_daily: KPIS_DAILY,
} satisfies Record<string, Dataset>;

export type DatasetName = keyof typeof DATASETS;
/** Every dataset, in the order a full run writes them. */
export const DATASET_NAMES = Object.keys(DATASETS) as [DatasetName, ...DatasetName[]];
