import { formatMoney } from './money.ts';
import type { FinancePorts } from './ports.ts';
import type { JournalEntry, OrderPrices } from './postings.ts';

const nextDay = (day: string) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

type Difference =
  | {
      type: 'shipment_without_revenue';
      entryId: string;
      orderId: string | null;
      reason: 'order_unknown' | 'price_missing';
    }
  | { type: 'entry_unbalanced'; entryId: string }
  | { type: 'ordered_not_shipped'; orderId: string; units: number }
  | { type: 'refund_without_receipt'; entryId: string; returnId: string };

/**
 * A day's orders, shipments, postings and refunds side by side, with every difference listed:
 * shipments that posted cost but no revenue (the order or its prices never reached finance),
 * entries that do not balance, orders placed that day with no shipment posted yet, and refunds
 * paid for returns whose parcel finance never saw come in. Entries are
 * those posted (business time) that day, read from the day they were booked and the next (events
 * arrive late by minutes, not days).
 */
export async function reconcile(ports: FinancePorts, day: string) {
  const entries: JournalEntry[] = [];
  for (const booked of [day, nextDay(day)]) {
    for await (const e of ports.store.entriesOfDay(booked))
      if (e.postedAt.slice(0, 10) === day) entries.push(e);
  }
  const orders: OrderPrices[] = [];
  for await (const o of ports.store.ordersOfDay(day)) orders.push(o);
  const { chart } = await ports.store.chart();
  const refunds = new Map<string, number>();
  let refundCount = 0;
  const differences: Difference[] = [];
  const totals = new Map<string, { debit: number; credit: number }>();
  const shipped = new Set<string>();
  let shipments = 0;
  for (const e of entries) {
    const sums = new Map<string, number>();
    for (const l of e.lines) {
      const t = totals.get(l.currency) ?? { debit: 0, credit: 0 };
      t.debit += l.debit;
      t.credit += l.credit;
      totals.set(l.currency, t);
      sums.set(l.currency, (sums.get(l.currency) ?? 0) + l.debit - l.credit);
    }
    if ([...sums.values()].some((v) => v !== 0))
      differences.push({ type: 'entry_unbalanced', entryId: e.entryId });
    if (e.sourceType === 'RefundIssued') {
      refundCount++;
      for (const l of e.lines)
        if (l.account === chart.returns_refunds.code)
          refunds.set(l.currency, (refunds.get(l.currency) ?? 0) + l.debit - l.credit);
      const returnId = e.lines[0]?.reference ?? null;
      if (returnId && !(await ports.store.returnFact(returnId)))
        differences.push({ type: 'refund_without_receipt', entryId: e.entryId, returnId });
      continue;
    }
    if (e.sourceType !== 'ShipmentConfirmed') continue;
    shipments++;
    const orderId = e.lines[0]?.reference ?? null;
    if (orderId) shipped.add(orderId);
    if (!e.lines.some((l) => l.account === chart.revenue.code)) {
      const known = orderId ? await ports.store.orderPrices(orderId) : undefined;
      differences.push({
        type: 'shipment_without_revenue',
        entryId: e.entryId,
        orderId,
        reason: known ? 'price_missing' : 'order_unknown',
      });
    }
  }
  const orderValue = new Map<string, number>();
  for (const o of orders) {
    const value = o.lines.reduce((s, l) => s + (l.unitPrice ?? 0) * l.quantity - (l.discount ?? 0), 0);
    if (o.currency) orderValue.set(o.currency, (orderValue.get(o.currency) ?? 0) + value);
    if (!shipped.has(o.orderId)) {
      differences.push({
        type: 'ordered_not_shipped',
        orderId: o.orderId,
        units: o.lines.reduce((s, l) => s + l.quantity, 0),
      });
    }
  }
  return {
    date: day,
    orders: {
      count: orders.length,
      value: [...orderValue].map(([currency, v]) => ({ currency, amount: formatMoney(v, currency) })),
    },
    shipments: { count: shipments },
    postings: {
      entries: entries.length,
      totals: [...totals].map(([currency, t]) => ({
        currency,
        debit: formatMoney(t.debit, currency),
        credit: formatMoney(t.credit, currency),
      })),
    },
    refunds: {
      count: refundCount,
      value: [...refunds].map(([currency, v]) => ({ currency, amount: formatMoney(v, currency) })),
    },
    differences,
  };
}
