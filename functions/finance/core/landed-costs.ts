import { createHash } from 'node:crypto';
import { Conflict, DomainError, NotFound, ValidationFailed } from '#shared/errors';
import { applyLandedCost } from './costing.ts';
import { allocate, formatMoney, parseAmount } from './money.ts';
import type { FinancePorts, ReceiptLine } from './ports.ts';
import { postEntry } from './posting-service.ts';
import { type LineDraft, pair } from './postings.ts';

export interface LandedCostInput {
  landedCostId: string;
  receiptRef: string;
  method: 'value' | 'quantity' | 'weight';
  amounts: { kind: string; amount: string; currency: string }[];
  /** Grams per unit of each SKU on the receipt; required for `weight` (the catalog keeps no weights). */
  weights?: { sku: string; grams: number }[] | undefined;
}

export interface LandedCostView {
  landedCostId: string;
  receiptRef: string;
  method: LandedCostInput['method'];
  currency: string;
  total: string;
  allocations: { sku: string; locationId: string; amount: string; toInventory: string; toCogs: string }[];
}

interface Allocation {
  sku: string;
  locationId: string;
  amount: number;
  toInventory: number;
  toCogs: number;
}

const fingerprint = (input: LandedCostInput) =>
  createHash('sha256')
    .update(JSON.stringify([input.receiptRef, input.method, input.amounts, input.weights ?? null]))
    .digest('hex');

function view(input: LandedCostInput, currency: string, allocations: Allocation[]): LandedCostView {
  const total = allocations.reduce((s, a) => s + a.amount, 0);
  return {
    landedCostId: input.landedCostId,
    receiptRef: input.receiptRef,
    method: input.method,
    currency,
    total: formatMoney(total, currency),
    allocations: allocations.map((a) => ({
      sku: a.sku,
      locationId: a.locationId,
      amount: formatMoney(a.amount, currency),
      toInventory: formatMoney(a.toInventory, currency),
      toCogs: formatMoney(a.toCogs, currency),
    })),
  };
}

/** Each receipt line's basis for the method: its value at PO cost, its units, or its weight. */
function basis(lines: readonly ReceiptLine[], input: LandedCostInput): number[] {
  if (input.method === 'value') return lines.map((l) => l.value);
  if (input.method === 'quantity') return lines.map((l) => l.quantity);
  const grams = new Map((input.weights ?? []).map((w) => [w.sku, w.grams]));
  const missing = lines.filter((l) => !grams.has(l.sku));
  if (missing.length) {
    throw new ValidationFailed(
      'Allocation by weight needs the weight of every SKU on the receipt',
      missing.map((l) => ({ field: 'weights', message: `no weight for ${l.sku}` })),
    );
  }
  return lines.map((l) => l.quantity * (grams.get(l.sku) ?? 0));
}

/**
 * A landed-cost document (freight, duty, other) on a receipt: each amount is allocated to the
 * receipt's lines by the document's method; each line's share goes to the value of its units
 * still on hand and the rest to COGS. Booked once per landedCostId: a repeat answers the first
 * allocation; the same id with another body is refused.
 */
export async function postLandedCost(
  ports: FinancePorts,
  input: LandedCostInput,
): Promise<{ view: LandedCostView; created: boolean }> {
  const entryId = `LC#${input.landedCostId}`;
  const print = fingerprint(input);
  const existing = await ports.store.entry(entryId);
  if (existing) return answerRepeat(existing, input, print);

  const lines = (await ports.store.receiptLines(input.receiptRef)).sort((a, b) =>
    a.sku === b.sku ? a.locationId.localeCompare(b.locationId) : a.sku.localeCompare(b.sku),
  );
  if (!lines.length) throw new NotFound('Receipt', input.receiptRef);
  const currency = (lines[0] as ReceiptLine).currency;
  const amounts = input.amounts.map((a, i) => {
    if (a.currency !== currency) {
      throw new DomainError(
        422,
        'CURRENCY_MISMATCH',
        `Receipt ${input.receiptRef} is in ${currency}; amounts.${i} is in ${a.currency}`,
        { field: `amounts.${i}.currency`, receiptCurrency: currency },
      );
    }
    const minor = parseAmount(a.amount, currency);
    if (minor === undefined) {
      throw new ValidationFailed(`Invalid amounts.${i}.amount`, [
        { field: `amounts.${i}.amount`, message: `a decimal amount in ${currency}, e.g. "12.50"` },
      ]);
    }
    return { kind: a.kind, minor };
  });
  const weights = basis(lines, input);
  const perLine = lines.map(() => 0);
  for (const a of amounts) {
    for (const [i, part] of allocate(a.minor, weights).entries()) perLine[i] = (perLine[i] ?? 0) + part;
  }

  let allocations: Allocation[] = [];
  const { entry, created } = await postEntry(
    ports,
    {
      entryId,
      sourceEventId: entryId,
      sourceType: 'LandedCost',
      postedAt: ports.clock().toISOString(),
    },
    lines,
    (book) => {
      allocations = [];
      const drafts: LineDraft[] = [];
      lines.forEach((line, i) => {
        const amount = perLine[i] ?? 0;
        const applied = applyLandedCost(book.get(line.sku, line.locationId), amount, line.quantity);
        if (amount !== 0) book.set(applied.position);
        allocations.push({ sku: line.sku, locationId: line.locationId, amount, ...applied });
        const where = {
          reference: input.receiptRef,
          sku: line.sku,
          locationId: line.locationId,
          channelId: null,
        };
        drafts.push(
          ...pair('inventory', 'landed_cost_clearing', applied.toInventory, currency, where),
          ...pair('cogs', 'landed_cost_clearing', applied.toCogs, currency, where),
        );
      });
      return { drafts, extra: { landedCostDoc: { fingerprint: print, currency, allocations } } };
    },
  );
  if (!created) return answerRepeat(entry, input, print);
  return { view: view(input, currency, allocations), created: true };
}

function answerRepeat(
  entry: Record<string, unknown>,
  input: LandedCostInput,
  print: string,
): { view: LandedCostView; created: boolean } {
  const kept = entry.landedCostDoc as
    | { fingerprint: string; currency: string; allocations: Allocation[] }
    | undefined;
  if (!kept || kept.fingerprint !== print) {
    throw new Conflict(
      'LANDED_COST_CONFLICT',
      `Landed cost ${input.landedCostId} was booked with another body; a document is booked once`,
    );
  }
  return { view: view(input, kept.currency, kept.allocations), created: false };
}
