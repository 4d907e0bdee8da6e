import { PickShorted, ShipmentConfirmed } from '#fulfillment/api';
import { GoodsReceived } from '#inbound/api';
import { StockAdjusted } from '#inventory/api';
import { OrderReceived, OrderUpdated } from '#orders/api';
import { RefundIssued, RefundRequested, ReturnDispositioned, ReturnReceived } from '#returns/api';
import { unitCost } from './costing.ts';
import { allocate } from './money.ts';
import { postingPeriod } from './periods.ts';
import type { EntryCommit, FinancePorts, ReceiptLine } from './ports.ts';
import {
  expandKits,
  foundUnits,
  isBalanced,
  issueFrom,
  type JournalEntry,
  type LineDraft,
  numberLines,
  PositionBook,
  pair,
  receiveInto,
  revenueLines,
} from './postings.ts';

/** One event as the consumer hands it over. */
export interface SourceEvent {
  eventId: string;
  detailType: string;
  occurredAt: string;
  data: unknown;
}

/** What a chunk of an event (or a command) posts, from the positions as read. */
type Build = (book: PositionBook) => {
  drafts: LineDraft[];
  receiptLines?: ReceiptLine[];
  /** Kept on the entry item (a landed cost's document and allocations). */
  extra?: Record<string, unknown>;
};

/**
 * Rounds of read → build → conditional write before giving up to the bus's retry: a version
 * moved by a concurrent posting on the same SKU is read again and the entry rebuilt from it.
 */
const ATTEMPTS = 8;
/** Positions one entry may touch: two items each (position + history) within the 100 of a transaction. */
export const POSITIONS_PER_ENTRY = 40;

export class PostingContention extends Error {
  constructor(entryId: string) {
    super(`Entry ${entryId} lost to concurrent postings ${ATTEMPTS} times; the event will be retried`);
    this.name = 'PostingContention';
  }
}

/**
 * Writes one entry exactly once: an entry with its id already there is the answer (a redelivered
 * event, a repeated command), so nothing — positions, receipt lines, history — changes twice.
 */
export async function postEntry(
  ports: FinancePorts,
  source: { entryId: string; sourceEventId: string; sourceType: string; postedAt: string },
  keys: readonly { sku: string; locationId: string }[],
  build: Build,
): Promise<{ entry: JournalEntry & Record<string, unknown>; created: boolean }> {
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const existing = await ports.store.entry(source.entryId);
    if (existing) return { entry: existing, created: false };
    const [{ chart, baseCurrency }, positions] = await Promise.all([
      ports.store.chart(),
      ports.store.positions(keys),
    ]);
    const book = new PositionBook(positions, baseCurrency);
    const built = build(book);
    const lines = numberLines(built.drafts, chart);
    if (!isBalanced(lines)) throw new Error(`Entry ${source.entryId} does not balance`);
    const { period, lateFor } = await postingPeriod(source.postedAt, async (p) =>
      Boolean(await ports.store.closedPeriod(p)),
    );
    const entry: JournalEntry = {
      ...source,
      recordedAt: ports.clock().toISOString(),
      period,
      ...(lateFor ? { lateFor } : {}),
      lines,
    };
    const commit: EntryCommit = {
      entry,
      positions: book.changed(),
      ...(built.receiptLines ? { receiptLines: built.receiptLines } : {}),
      ...(built.extra ? { extra: built.extra } : {}),
    };
    if (await ports.store.commit(commit))
      return { entry: { ...entry, ...(built.extra ?? {}) }, created: true };
  }
  throw new PostingContention(source.entryId);
}

/** Splits units into groups touching at most POSITIONS_PER_ENTRY positions each, in order. */
function chunks<T extends { sku: string }>(units: readonly T[]): T[][] {
  const out: T[][] = [];
  let current: T[] = [];
  let keys = new Set<string>();
  for (const u of units) {
    if (!keys.has(u.sku) && keys.size >= POSITIONS_PER_ENTRY) {
      out.push(current);
      current = [];
      keys = new Set();
    }
    keys.add(u.sku);
    current.push(u);
  }
  if (current.length) out.push(current);
  return out.length ? out : [[]];
}

const entryIdOf = (eventId: string, i: number, of: number) => (of === 1 ? eventId : `${eventId}:${i + 1}`);

/** What a return's event did, kept on its entry: the `returns` dataset's rows. */
export interface ReturnActivity {
  returnId: string;
  orderId: string;
  event: 'received' | 'dispositioned' | 'refunded';
  at: string;
  channelId: string | null;
  locationId: string | null;
  lines: {
    sku: string | null;
    quantity: number | null;
    disposition: string | null;
    /** Cost moved by a disposition (minor units of `costCurrency`). */
    cost: number | null;
    costCurrency: string | null;
    /** Refunded to the customer (minor units of `refundCurrency`). */
    refund: number | null;
    refundCurrency: string | null;
  }[];
}

/** What a shipment was, kept on its (first) entry: the `shipments` dataset's rows. */
export interface ShipmentRecord {
  shipmentId: string;
  orderId: string;
  channelId: string;
  locationId: string;
  shippedAt: string;
  carrier: string;
  service: string;
  trackingNumber: string;
  lines: { lineId: string; sku: string; quantity: number }[];
}

/**
 * Dispositions that bring returned units back into finance's valuation, at the average now
 * (Dr inventory, Cr COGS: the sale's cost reversed). Damaged units stay on hand in inventory's
 * damaged bucket, so they come back at cost too and are written off when inventory adjusts them
 * out (the one write-off rule every damaged unit follows): writing them off here as well would
 * count them twice. `write_off` leaves onHand at once: its cost goes from COGS to write-offs.
 */
const BACK_ON_HAND = new Set(['restock', 'refurbish', 'quarantine', 'damaged']);

async function postReturnEvent(ports: FinancePorts, event: SourceEvent): Promise<void> {
  const base = { sourceEventId: event.eventId, sourceType: event.detailType };
  switch (event.detailType) {
    case ReturnReceived.detailType: {
      const r = ReturnReceived.data.parse(event.data);
      await ports.store.putReturnFact({
        returnId: r.returnId,
        orderId: r.orderId,
        channelId: r.channelId,
        locationId: r.locationId,
        receivedAt: r.receivedAt,
      });
      // Returned units wait in returnedPending, outside finance's valuation, until inspection
      // decides what they are worth; the entry (no lines) records the receipt for the returns dataset.
      const activity: ReturnActivity = {
        returnId: r.returnId,
        orderId: r.orderId,
        event: 'received',
        at: r.receivedAt,
        channelId: r.channelId,
        locationId: r.locationId,
        lines: r.lines.map((l) => ({
          sku: l.sku,
          quantity: l.quantity,
          disposition: null,
          cost: null,
          costCurrency: null,
          refund: null,
          refundCurrency: null,
        })),
      };
      await postEntry(ports, { ...base, entryId: event.eventId, postedAt: r.receivedAt }, [], () => ({
        drafts: [],
        extra: { returnActivity: activity },
      }));
      return;
    }
    case ReturnDispositioned.detailType: {
      const d = ReturnDispositioned.data.parse(event.data);
      const [fact, prices] = await Promise.all([
        ports.store.returnFact(d.returnId),
        ports.store.orderPrices(d.orderId),
      ]);
      const channelId = fact?.channelId ?? prices?.channelId ?? null;
      const parts = chunks(d.lines);
      for (const [i, lines] of parts.entries()) {
        await postEntry(
          ports,
          { ...base, entryId: entryIdOf(event.eventId, i, parts.length), postedAt: d.at },
          lines.map((l) => ({ sku: l.sku, locationId: d.locationId })),
          (book) => {
            const drafts: LineDraft[] = [];
            const activity: ReturnActivity = {
              returnId: d.returnId,
              orderId: d.orderId,
              event: 'dispositioned',
              at: d.at,
              channelId,
              locationId: d.locationId,
              lines: [],
            };
            for (const l of lines) {
              const where = { reference: d.returnId, sku: l.sku, locationId: d.locationId, channelId };
              const p = book.get(l.sku, d.locationId);
              const cost = l.quantity * unitCost(p);
              drafts.push(
                ...(BACK_ON_HAND.has(l.disposition)
                  ? receiveInto(
                      book,
                      { ...l, locationId: d.locationId, value: cost, currency: p.currency },
                      'cogs',
                      where,
                    )
                  : pair('write_offs', 'cogs', cost, p.currency, where)),
              );
              activity.lines.push({
                sku: l.sku,
                quantity: l.quantity,
                disposition: l.disposition,
                cost,
                costCurrency: p.currency,
                refund: null,
                refundCurrency: null,
              });
            }
            return { drafts, extra: { returnActivity: activity } };
          },
        );
      }
      return;
    }
    case RefundRequested.detailType: {
      const r = RefundRequested.data.parse(event.data);
      await ports.store.putRefundRequest({
        returnId: r.returnId,
        attempt: r.attempt,
        amount: r.amount,
        currency: r.currency,
        lines: r.lines,
      });
      return;
    }
    case RefundIssued.detailType: {
      const r = RefundIssued.data.parse(event.data);
      const [fact, request, prices, { baseCurrency }] = await Promise.all([
        ports.store.returnFact(r.returnId),
        ports.store.refundRequest(r.returnId, r.attempt),
        ports.store.orderPrices(r.orderId),
        ports.store.chart(),
      ]);
      const currency = r.currency ?? request?.currency ?? prices?.currency ?? baseCurrency;
      // The issued amount split over the requested lines by their amounts (so the parts add up to
      // exactly what the channel refunded); without the request, one line with no SKU.
      const lines = request?.lines.length
        ? allocate(
            r.amount,
            request.lines.map((l) => l.amount),
          ).map((amount, i) => ({
            sku: request.lines[i]?.sku ?? null,
            quantity: request.lines[i]?.quantity ?? null,
            amount,
          }))
        : [{ sku: null, quantity: null, amount: r.amount }];
      const locationId = fact?.locationId ?? null;
      const activity: ReturnActivity = {
        returnId: r.returnId,
        orderId: r.orderId,
        event: 'refunded',
        at: r.issuedAt,
        channelId: r.channelId,
        locationId,
        lines: lines.map((l) => ({
          sku: l.sku,
          quantity: l.quantity,
          disposition: null,
          cost: null,
          costCurrency: null,
          refund: l.amount,
          refundCurrency: currency,
        })),
      };
      await postEntry(ports, { ...base, entryId: event.eventId, postedAt: r.issuedAt }, [], () => ({
        // Dr returns and refunds (revenue given back), Cr the channel's receivable (it paid out).
        drafts: lines.flatMap((l) =>
          pair('returns_refunds', 'receivable', l.amount, currency, {
            reference: r.returnId,
            sku: l.sku,
            locationId,
            channelId: r.channelId,
          }),
        ),
        extra: { returnActivity: activity },
      }));
      return;
    }
    default:
      return;
  }
}

const shipmentRecord = (s: ReturnType<typeof ShipmentConfirmed.data.parse>): ShipmentRecord => ({
  shipmentId: s.shipmentId,
  orderId: s.orderId,
  channelId: s.channelId,
  locationId: s.locationId,
  shippedAt: s.shippedAt,
  carrier: s.carrier,
  service: s.service,
  trackingNumber: s.trackingNumber,
  lines: s.lines.map((l) => ({ lineId: l.lineId, sku: l.sku, quantity: l.quantity })),
});

/**
 * Posts one financially relevant event: receipts at PO cost, shipments (COGS at the average now,
 * revenue at the order's prices), short picks and adjustments (write-offs, found units), returns
 * (units back at cost, written off, refunds). Order events only keep the prices shipments will
 * need. Anything else is not finance's business.
 */
export async function postEvent(ports: FinancePorts, event: SourceEvent): Promise<void> {
  const base = { sourceEventId: event.eventId, sourceType: event.detailType };
  switch (event.detailType) {
    case OrderReceived.detailType:
    case OrderUpdated.detailType: {
      const o = OrderReceived.data.parse(event.data);
      await ports.store.putOrderPrices({
        orderId: o.orderId,
        channelId: o.channelId,
        currency: o.currency,
        lines: o.lines.map((l) => ({
          lineId: l.lineId,
          sku: l.sku,
          quantity: l.quantity,
          unitPrice: l.unitPrice,
          ...(l.discount ? { discount: l.discount } : {}),
        })),
        asOf: event.occurredAt,
        placedAt: o.placedAt,
      });
      return;
    }
    case GoodsReceived.detailType: {
      const r = GoodsReceived.data.parse(event.data);
      const where = { reference: r.asnId, sku: r.sku, locationId: r.locationId, channelId: null };
      const value = r.quantity * r.unitCostMinor;
      await postEntry(
        ports,
        { ...base, entryId: event.eventId, postedAt: r.receivedAt },
        [{ sku: r.sku, locationId: r.locationId }],
        (book) => ({
          drafts: receiveInto(book, { ...r, value }, 'grni', where),
          receiptLines: [
            {
              receiptRef: r.asnId,
              sku: r.sku,
              locationId: r.locationId,
              currency: r.currency,
              quantity: r.quantity,
              value,
            },
          ],
        }),
      );
      return;
    }
    case ShipmentConfirmed.detailType: {
      const s = ShipmentConfirmed.data.parse(event.data);
      const [kits, prices] = await Promise.all([
        ports.kits([...new Set(s.lines.map((l) => l.sku))]),
        ports.store.orderPrices(s.orderId),
      ]);
      const where = { reference: s.orderId, locationId: s.locationId, channelId: s.channelId };
      const parts = chunks(expandKits(s.lines, kits));
      // Revenue goes with the chunk that holds a line's first unit.
      const revenueChunk = new Map<string, number>();
      for (const [i, units] of parts.entries()) {
        for (const u of units) if (!revenueChunk.has(u.lineId)) revenueChunk.set(u.lineId, i);
      }
      for (const [i, units] of parts.entries()) {
        const revenueOf = s.lines.filter((l) => revenueChunk.get(l.lineId) === i);
        await postEntry(
          ports,
          { ...base, entryId: entryIdOf(event.eventId, i, parts.length), postedAt: s.shippedAt },
          units.map((u) => ({ sku: u.sku, locationId: s.locationId })),
          (book) => ({
            drafts: [
              ...units.flatMap((u) =>
                issueFrom(book, { ...u, locationId: s.locationId }, 'cogs', { ...where, sku: u.sku }),
              ),
              ...revenueLines(prices, revenueOf, where),
            ],
            // The parcel itself rides on its first entry (the shipments dataset reads it from there).
            ...(i === 0 ? { extra: { shipment: shipmentRecord(s) } } : {}),
          }),
        );
      }
      return;
    }
    case PickShorted.detailType: {
      const p = PickShorted.data.parse(event.data);
      const kits = await ports.kits([...new Set(p.lines.map((l) => l.sku))]);
      const where = { reference: p.orderId, locationId: p.locationId, channelId: p.channelId };
      const parts = chunks(expandKits(p.lines, kits));
      for (const [i, units] of parts.entries()) {
        await postEntry(
          ports,
          { ...base, entryId: entryIdOf(event.eventId, i, parts.length), postedAt: p.at },
          units.map((u) => ({ sku: u.sku, locationId: p.locationId })),
          (book) => ({
            drafts: units.flatMap((u) =>
              issueFrom(book, { ...u, locationId: p.locationId }, 'write_offs', { ...where, sku: u.sku }),
            ),
          }),
        );
      }
      return;
    }
    case StockAdjusted.detailType: {
      const a = StockAdjusted.data.parse(event.data);
      // In-transit units are not ours on hand yet, and returned units wait outside the valuation
      // until inspection (their write-off posts with the return's disposition); every other
      // bucket is inside onHand.
      if (a.bucket === 'inTransit' || a.bucket === 'returnedPending' || a.delta === 0) return;
      const unit = { sku: a.sku, locationId: a.locationId, quantity: Math.abs(a.delta) };
      const where = { reference: a.movementId, sku: a.sku, locationId: a.locationId, channelId: null };
      await postEntry(
        ports,
        { ...base, entryId: event.eventId, postedAt: event.occurredAt },
        [unit],
        (book) => ({
          drafts: a.delta < 0 ? issueFrom(book, unit, 'write_offs', where) : foundUnits(book, unit, where),
        }),
      );
      return;
    }
    default:
      return postReturnEvent(ports, event);
  }
}
