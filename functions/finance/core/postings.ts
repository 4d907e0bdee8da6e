import type { AccountRole, Chart } from './accounts.ts';
import { type CostPosition, emptyPosition, issueUnits, receiveUnits, unitCost } from './costing.ts';
import { share } from './money.ts';

/** A journal line before it is numbered and given the chart's code. Amounts in minor units. */
export interface LineDraft {
  role: AccountRole;
  debit: number;
  credit: number;
  currency: string;
  reference: string | null;
  sku: string | null;
  locationId: string | null;
  channelId: string | null;
}

export interface JournalLine {
  lineNo: number;
  account: string;
  debit: number;
  credit: number;
  currency: string;
  reference: string | null;
  sku: string | null;
  locationId: string | null;
  channelId: string | null;
}

export interface JournalEntry {
  entryId: string;
  sourceEventId: string;
  sourceType: string;
  /** When the business event happened (the line's `posted_at`). */
  postedAt: string;
  /** When finance booked it: exports are by this day, so a past day's export never changes. */
  recordedAt: string;
  period: string;
  /** The closed period the event belonged to, when it came late and went to the next open one. */
  lateFor?: string;
  lines: JournalLine[];
}

/**
 * The positions an entry reads and changes, read once before the rules run and written back with
 * the version each was read at: rules change them in memory in order, so two lines of the same SKU
 * in one event cost their units one after the other.
 */
export class PositionBook {
  private readonly byKey = new Map<string, CostPosition>();
  private readonly touched = new Set<string>();
  constructor(
    loaded: readonly CostPosition[],
    private readonly baseCurrency: string,
  ) {
    for (const p of loaded) this.byKey.set(`${p.sku}\u0000${p.locationId}`, p);
  }
  get(sku: string, locationId: string): CostPosition {
    return this.byKey.get(`${sku}\u0000${locationId}`) ?? emptyPosition(sku, locationId, this.baseCurrency);
  }
  set(p: CostPosition): void {
    const key = `${p.sku}\u0000${p.locationId}`;
    this.byKey.set(key, p);
    this.touched.add(key);
  }
  changed(): CostPosition[] {
    return [...this.touched].map((k) => this.byKey.get(k) as CostPosition);
  }
}

export class CurrencyMismatch extends Error {
  constructor(sku: string, locationId: string, held: string, got: string) {
    super(`${sku} at ${locationId} is valued in ${held}; a receipt in ${got} cannot be averaged into it`);
    this.name = 'CurrencyMismatch';
  }
}

interface Where {
  reference: string | null;
  sku: string | null;
  locationId: string | null;
  channelId: string | null;
}

/** Dr `debit` / Cr `credit` for `amount` (a negative amount swaps the sides). */
export function pair(
  debit: AccountRole,
  credit: AccountRole,
  amount: number,
  currency: string,
  where: Where,
) {
  if (amount === 0) return [];
  const [dr, cr, a] = amount > 0 ? [debit, credit, amount] : [credit, debit, -amount];
  return [
    { role: dr, debit: a, credit: 0, currency, ...where },
    { role: cr, debit: 0, credit: a, currency, ...where },
  ] satisfies LineDraft[];
}

function varianceLines(variance: number, currency: string, where: Where): LineDraft[] {
  // Leftover value with no units behind it: out of inventory into variance (or back, when negative).
  return pair('inventory_variance', 'inventory', variance, currency, where);
}

/** Units in at a cost: Dr inventory, Cr `credit` (GRNI for a receipt, variance for found units). */
export function receiveInto(
  book: PositionBook,
  u: { sku: string; locationId: string; quantity: number; value: number; currency: string },
  credit: AccountRole,
  where: Where,
): LineDraft[] {
  let p = book.get(u.sku, u.locationId);
  if (p.currency !== u.currency) {
    if (p.quantity !== 0 || p.value !== 0)
      throw new CurrencyMismatch(u.sku, u.locationId, p.currency, u.currency);
    p = { ...p, currency: u.currency };
  }
  const { position, variance } = receiveUnits(p, u.quantity, u.value);
  book.set(position);
  return [
    ...pair('inventory', credit, u.value, u.currency, where),
    ...varianceLines(variance, u.currency, where),
  ];
}

/** Units out at the average: Dr `debit` (COGS, write-offs), Cr inventory. */
export function issueFrom(
  book: PositionBook,
  u: { sku: string; locationId: string; quantity: number },
  debit: AccountRole,
  where: Where,
): LineDraft[] {
  const { position, cost } = issueUnits(book.get(u.sku, u.locationId), u.quantity);
  book.set(position);
  return pair(debit, 'inventory', cost, position.currency, where);
}

/** Found units (a positive adjustment) come in at the current average. */
export function foundUnits(
  book: PositionBook,
  u: { sku: string; locationId: string; quantity: number },
  where: Where,
): LineDraft[] {
  const p = book.get(u.sku, u.locationId);
  return receiveInto(
    book,
    { ...u, value: u.quantity * unitCost(p), currency: p.currency },
    'inventory_variance',
    where,
  );
}

/** What a shipped or shorted order line is made of: itself, or its kit's components. */
export function expandKits(
  lines: readonly { lineId: string; sku: string; quantity: number }[],
  kits: ReadonlyMap<string, readonly { sku: string; quantity: number }[]>,
): { lineId: string; sku: string; quantity: number }[] {
  return lines.flatMap((l) => {
    const components = kits.get(l.sku);
    return components?.length
      ? components.map((c) => ({ lineId: l.lineId, sku: c.sku, quantity: c.quantity * l.quantity }))
      : [l];
  });
}

export interface OrderPrices {
  orderId: string;
  channelId: string;
  currency: string | null;
  lines: { lineId: string; sku: string; quantity: number; unitPrice: number | null; discount?: number }[];
  /** The order event time the prices came from (a later one replaces them). */
  asOf: string;
  /** When the customer placed it (the reconciliation's orders of a day). */
  placedAt?: string;
}

/**
 * Revenue of shipped units: unit price × units less the line discount's share for them;
 * Dr channel receivable, Cr revenue, in the order's currency. Lines without a known price post
 * nothing (the reconciliation lists them).
 */
export function revenueLines(
  prices: OrderPrices | undefined,
  shipped: readonly { lineId: string; sku: string; quantity: number }[],
  where: Omit<Where, 'sku'>,
): LineDraft[] {
  if (!prices?.currency) return [];
  const currency = prices.currency;
  return shipped.flatMap((s) => {
    const line = prices.lines.find((l) => l.lineId === s.lineId);
    if (!line || line.unitPrice === null) return [];
    const discount = line.discount ? share(line.discount, s.quantity, line.quantity) : 0;
    return pair('receivable', 'revenue', line.unitPrice * s.quantity - discount, currency, {
      ...where,
      sku: s.sku,
    });
  });
}

/** Numbers the drafts and gives each the chart's code; zero lines are dropped. */
export function numberLines(drafts: readonly LineDraft[], chart: Chart): JournalLine[] {
  return drafts
    .filter((d) => d.debit !== 0 || d.credit !== 0)
    .map(({ role, ...d }, i) => ({ lineNo: i + 1, account: chart[role].code, ...d }));
}

/** Debits equal credits, per currency: the one rule every entry obeys before it is written. */
export function isBalanced(lines: readonly { debit: number; credit: number; currency: string }[]): boolean {
  const sums = new Map<string, number>();
  for (const l of lines) sums.set(l.currency, (sums.get(l.currency) ?? 0) + l.debit - l.credit);
  return [...sums.values()].every((v) => v === 0);
}
