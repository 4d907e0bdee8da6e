import { describe, expect, it } from 'vitest';
import { DEFAULT_CHART } from '../../functions/finance/core/accounts.ts';
import { DATASET_NAMES, DATASETS, type DatasetSource } from '../../functions/finance/core/datasets.ts';
import type { Row } from '../../functions/finance/core/export-files.ts';
import type { FinanceStore } from '../../functions/finance/core/ports.ts';
import type { JournalEntry, OrderPrices } from '../../functions/finance/core/postings.ts';

async function* each<T>(items: T[]): AsyncIterable<T> {
  for (const i of items) yield i;
}

function source(entries: JournalEntry[], orders: OrderPrices[] = []): DatasetSource {
  const store = {
    chart: async () => ({ chart: DEFAULT_CHART, baseCurrency: 'USD' }),
    entriesOfDay: () => each(entries),
    ordersOfDay: () => each(orders),
  } as unknown as FinanceStore;
  return { store, valuationAsOf: () => each([]), kpisOfDay: async () => [] };
}

async function rows(name: keyof typeof DATASETS, src: DatasetSource): Promise<Row[]> {
  const out: Row[] = [];
  for await (const r of DATASETS[name].rows(src, '2026-12-05')) out.push(r);
  return out;
}

const line = (
  account: string,
  debit: number,
  credit: number,
  channelId: string | null,
  currency = 'USD',
) => ({
  lineNo: 1,
  account,
  debit,
  credit,
  currency,
  reference: null,
  sku: null,
  locationId: null,
  channelId,
});
const entry = (entryId: string, lines: JournalEntry['lines']): JournalEntry => ({
  entryId,
  sourceEventId: entryId,
  sourceType: 'Test',
  postedAt: '2026-12-05T10:00:00.000Z',
  recordedAt: '2026-12-05T10:00:00.000Z',
  period: '2026-12',
  lines,
});

describe('finance datasets', () => {
  it('lists every dataset once, each column once', () => {
    expect(DATASET_NAMES).toEqual([
      'journal_lines',
      'inventory_valuation',
      'orders',
      'shipments',
      'returns',
      'channel_margin',
      'kpis_daily',
    ]);
    for (const name of DATASET_NAMES) {
      const columns = DATASETS[name].columns.map((c) => c.name);
      expect(new Set(columns).size, name).toBe(columns.length);
    }
  });

  it('channel margin: per channel and currency, sorted, unattributed last; margin = revenue − COGS − shipping − returns', async () => {
    const src = source([
      entry('e1', [line('1200', 5000, 0, 'web'), line('4000', 0, 5000, 'web')]),
      entry('e2', [line('5000', 2000, 0, 'web'), line('1300', 0, 2000, 'web')]),
      entry('e3', [line('4200', 700, 0, 'web'), line('1200', 0, 700, 'web')]),
      // Units back on the shelf reduce COGS; shipping charged to the customer is negative shipping.
      entry('e4', [line('1300', 300, 0, 'web'), line('5000', 0, 300, 'web')]),
      entry('e5', [line('1200', 400, 0, 'web'), line('4100', 0, 400, 'web')]),
      entry('e6', [line('1200', 900, 0, 'amazon', 'EUR'), line('4000', 0, 900, 'amazon', 'EUR')]),
      entry('e7', [line('5000', 55, 0, null), line('2150', 0, 55, null)]),
      // Accounts outside the margin (write-offs) are not in it.
      entry('e8', [line('5100', 99, 0, 'web'), line('1300', 0, 99, 'web')]),
    ]);
    const money = (minor: number, currency = 'USD') => ({ minor, currency });
    expect(await rows('channel_margin', src)).toEqual([
      {
        date: '2026-12-05',
        channel_id: 'amazon',
        currency: 'EUR',
        revenue: money(900, 'EUR'),
        cogs: money(0, 'EUR'),
        shipping: money(0, 'EUR'),
        returns: money(0, 'EUR'),
        margin: money(900, 'EUR'),
      },
      {
        date: '2026-12-05',
        channel_id: 'web',
        currency: 'USD',
        revenue: money(5000),
        cogs: money(1700),
        shipping: money(-400),
        returns: money(700),
        margin: money(5000 - 1700 + 400 - 700),
      },
      {
        date: '2026-12-05',
        channel_id: null,
        currency: 'USD',
        revenue: money(0),
        cogs: money(55),
        shipping: money(0),
        returns: money(0),
        margin: money(-55),
      },
    ]);
  });

  it('orders: one row per line; a line without a price has empty money cells', async () => {
    const src = source(
      [],
      [
        {
          orderId: 'O-1',
          channelId: 'web',
          currency: 'USD',
          lines: [
            { lineId: '1', sku: 'A', quantity: 3, unitPrice: 250, discount: 50 },
            { lineId: '2', sku: 'B', quantity: 1, unitPrice: null },
          ],
          asOf: '2026-12-05T09:00:00.000Z',
          placedAt: '2026-12-05T08:00:00.000Z',
        },
      ],
    );
    const out = await rows('orders', src);
    expect(out[0]).toMatchObject({
      order_id: 'O-1',
      placed_at: '2026-12-05T08:00:00.000Z',
      quantity: 3,
      unit_price: { minor: 250, currency: 'USD' },
      discount: { minor: 50, currency: 'USD' },
      line_total: { minor: 700, currency: 'USD' },
    });
    expect(out[1]).toMatchObject({ sku: 'B', unit_price: null, discount: null, line_total: null });
  });
});
