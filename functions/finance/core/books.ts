import { isCurrencyCode } from '#shared/currency';
import { Conflict, DomainError } from '#shared/errors';
import { type AccountRole, type Chart, mergeChart } from './accounts.ts';
import { unitCost } from './costing.ts';
import { formatMoney } from './money.ts';
import { periodEnd } from './periods.ts';
import type { ClosedPeriod, FinancePorts, StoredChart } from './ports.ts';

export interface ChartInput {
  baseCurrency?: string | undefined;
  accounts?: { role: AccountRole; code: string; name?: string | undefined }[] | undefined;
}

const chartView = (c: StoredChart) => ({
  baseCurrency: c.baseCurrency,
  accounts: Object.values(c.chart).sort((a, b) => a.code.localeCompare(b.code)),
});

export async function getChart(ports: FinancePorts) {
  return chartView(await ports.store.chart());
}

/** The chart of accounts: the given roles get their codes and names; the rest keep theirs (or the defaults). */
export async function putChart(ports: FinancePorts, input: ChartInput) {
  const stored = await ports.store.chart();
  if (input.baseCurrency && !isCurrencyCode(input.baseCurrency)) {
    throw new DomainError(400, 'VALIDATION_FAILED', 'baseCurrency must be an ISO 4217 code', {
      issues: [{ field: 'baseCurrency', message: 'three capital letters' }],
    });
  }
  const merged = mergeChart(stored.chart, input.accounts ?? []);
  if ('duplicate' in merged) {
    throw new Conflict('DUPLICATE_ACCOUNT_CODE', `Account code ${merged.duplicate} is used by two roles`, {
      code: merged.duplicate,
    });
  }
  const next: StoredChart = { chart: merged.chart, baseCurrency: input.baseCurrency ?? stored.baseCurrency };
  await ports.store.putChart(next);
  return chartView(next);
}

/**
 * Closes a month: from then on it takes no postings (a late event goes to the next open one).
 * Only a month that has ended can close; closing it again answers the first close.
 */
export async function closePeriod(ports: FinancePorts, period: string, actor: string) {
  const now = ports.clock().toISOString();
  if (now < periodEnd(period)) {
    throw new Conflict(
      'PERIOD_NOT_ENDED',
      `Period ${period} has not ended; it can be closed from ${periodEnd(period)}`,
    );
  }
  const closed: ClosedPeriod = { period, status: 'closed', closedAt: now, closedBy: actor };
  if (await ports.store.closePeriod(closed)) return { period: closed, created: true };
  return { period: (await ports.store.closedPeriod(period)) ?? closed, created: false };
}

export async function listPeriods(ports: FinancePorts) {
  const closed = await ports.store.closedPeriods();
  const current = ports.clock().toISOString().slice(0, 7);
  const items: ({ period: string; status: 'open' } | ClosedPeriod)[] = [...closed];
  if (!closed.some((p) => p.period === current)) items.push({ period: current, status: 'open' });
  return { items: items.sort((a, b) => b.period.localeCompare(a.period)) };
}

/**
 * Debits and credits per account and currency over every entry of the period, and whether each
 * currency balances; entries that came late from a closed period are listed.
 */
export async function trialBalance(ports: FinancePorts, period: string) {
  const [{ chart }, closed] = await Promise.all([ports.store.chart(), ports.store.closedPeriod(period)]);
  const names = new Map(Object.values(chart as Chart).map((a) => [a.code, a.name]));
  const sums = new Map<string, { account: string; currency: string; debit: number; credit: number }>();
  const late: { entryId: string; sourceEventId: string; sourceType: string; lateFor: string }[] = [];
  let entries = 0;
  for await (const e of ports.store.entriesOfPeriod(period)) {
    entries++;
    if (e.lateFor)
      late.push({
        entryId: e.entryId,
        sourceEventId: e.sourceEventId,
        sourceType: e.sourceType,
        lateFor: e.lateFor,
      });
    for (const l of e.lines) {
      const key = `${l.account}\u0000${l.currency}`;
      const s = sums.get(key) ?? { account: l.account, currency: l.currency, debit: 0, credit: 0 };
      s.debit += l.debit;
      s.credit += l.credit;
      sums.set(key, s);
    }
  }
  const rows = [...sums.values()].sort((a, b) =>
    a.account === b.account ? a.currency.localeCompare(b.currency) : a.account.localeCompare(b.account),
  );
  const currencies = [...new Set(rows.map((r) => r.currency))].sort().map((currency) => {
    const debit = rows.filter((r) => r.currency === currency).reduce((s, r) => s + r.debit, 0);
    const credit = rows.filter((r) => r.currency === currency).reduce((s, r) => s + r.credit, 0);
    return {
      currency,
      debit: formatMoney(debit, currency),
      credit: formatMoney(credit, currency),
      balanced: debit === credit,
    };
  });
  return {
    period,
    status: closed ? 'closed' : 'open',
    entries,
    balanced: currencies.every((c) => c.balanced),
    totals: currencies,
    accounts: rows.map((r) => ({
      account: r.account,
      name: names.get(r.account) ?? null,
      currency: r.currency,
      debit: formatMoney(r.debit, r.currency),
      credit: formatMoney(r.credit, r.currency),
      balance: formatMoney(r.debit - r.credit, r.currency),
    })),
    latePostings: late,
  };
}

/** The moving-average cost of a SKU at each location finance values it. */
export async function costsOf(ports: FinancePorts, sku: string) {
  const positions = await ports.store.positionsOf(sku);
  return {
    sku,
    items: positions.map((p) => ({
      locationId: p.locationId,
      currency: p.currency,
      quantity: p.quantity,
      valueMinor: p.value,
      value: formatMoney(p.value, p.currency),
      unitCost: formatMoney(unitCost(p), p.currency),
    })),
  };
}
