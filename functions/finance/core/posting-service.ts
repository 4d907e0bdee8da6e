import { PickShorted, ShipmentConfirmed } from '#fulfillment/api';
import { GoodsReceived } from '#inbound/api';
import { StockAdjusted } from '#inventory/api';
import { OrderReceived, OrderUpdated } from '#orders/api';
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

/**
 * Posts one financially relevant event: receipts at PO cost, shipments (COGS at the average now,
 * revenue at the order's prices), short picks and adjustments (write-offs, found units). Order
 * events only keep the prices shipments will need. Anything else is not finance's business.
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
      // In-transit units are not ours on hand yet; every other bucket is inside onHand.
      if (a.bucket === 'inTransit' || a.delta === 0) return;
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
      return;
  }
}
