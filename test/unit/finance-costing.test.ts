import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CHART } from '../../functions/finance/core/accounts.ts';
import {
  applyLandedCost,
  type CostPosition,
  emptyPosition,
  issueUnits,
  receiveUnits,
} from '../../functions/finance/core/costing.ts';
import { allocate, decimalText, parseAmount, share } from '../../functions/finance/core/money.ts';
import { postingPeriod } from '../../functions/finance/core/periods.ts';
import {
  expandKits,
  foundUnits,
  isBalanced,
  issueFrom,
  numberLines,
  PositionBook,
  receiveInto,
  revenueLines,
} from '../../functions/finance/core/postings.ts';

const at = (quantity: number, value: number): CostPosition => ({
  ...emptyPosition('A', 'WH', 'USD'),
  quantity,
  value,
  version: 1,
});
const where = { reference: 'R', sku: 'A', locationId: 'WH', channelId: null };

describe('allocation', () => {
  it('splits by weight and always adds up to the total, remainders to the largest fractions', () => {
    expect(allocate(1000, [1, 1, 1])).toEqual([334, 333, 333]);
    expect(allocate(3001, [10000, 5000])).toEqual([2001, 1000]);
    expect(allocate(5, [0, 0])).toEqual([3, 2]);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10 ** 11 }),
        fc.array(fc.integer({ min: 0, max: 10 ** 9 }), { minLength: 1, maxLength: 30 }),
        (total, weights) => {
          const parts = allocate(total, weights);
          expect(parts.reduce((a, b) => a + b, 0)).toBe(total);
          expect(parts.every((p) => p >= 0)).toBe(true);
        },
      ),
    );
  });

  it('rounds shares half away from zero, exactly, beyond float range', () => {
    expect(share(100, 1, 3)).toBe(33);
    expect(share(5, 1, 2)).toBe(3);
    expect(share(-5, 1, 2)).toBe(-3);
    expect(share(99_999_999_999, 999_999, 1_000_000)).toBe(99_999_899_999);
  });

  it('reads decimal amounts without rounding and writes them back', () => {
    expect(parseAmount('12.5', 'USD')).toBe(1250);
    expect(parseAmount('12.345', 'USD')).toBeUndefined();
    expect(parseAmount('7', 'JPY')).toBe(7);
    expect(parseAmount('1.5', 'JPY')).toBeUndefined();
    expect(decimalText(-5, 2)).toBe('-0.05');
    expect(decimalText(123456n, 4)).toBe('12.3456');
  });
});

describe('moving-average cost', () => {
  it('averages receipts and costs issues at the average of the moment, to the last unit', () => {
    let p = receiveUnits(emptyPosition('A', 'WH', 'USD'), 3, 1000).position; // 3.33…
    const first = issueUnits(p, 1);
    expect(first.cost).toBe(333);
    p = first.position;
    p = receiveUnits(p, 2, 900).position; // 667 + 900 over 4 units
    const all = issueUnits(p, 4);
    expect(all.cost).toBe(1567);
    expect(all.position).toMatchObject({ quantity: 0, value: 0 });
  });

  it('never loses or invents value: what went in is what went out plus what is left', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.record({ in: fc.integer({ min: 1, max: 1000 }), cost: fc.integer({ min: 0, max: 10_000 }) }),
            fc.record({ out: fc.integer({ min: 1, max: 1000 }) }),
          ),
          { maxLength: 40 },
        ),
        (steps) => {
          let p = emptyPosition('A', 'WH', 'USD');
          let inValue = 0;
          let outValue = 0;
          let variance = 0;
          for (const s of steps) {
            if ('in' in s) {
              const r = receiveUnits(p, s.in, s.in * s.cost);
              inValue += s.in * s.cost;
              variance += r.variance;
              p = r.position;
            } else {
              const r = issueUnits(p, s.out);
              outValue += r.cost;
              p = r.position;
            }
          }
          expect(inValue).toBe(outValue + p.value + variance);
        },
      ),
    );
  });

  it('costs units beyond the known quantity at the last average and fills the gap at the next receipt', () => {
    const out = issueUnits(at(2, 200), 3);
    expect(out.cost).toBe(300);
    expect(out.position).toMatchObject({ quantity: -1, value: -100 });
    const back = receiveUnits(out.position, 1, 120);
    expect(back.position).toMatchObject({ quantity: 0, value: 0 });
    expect(back.variance).toBe(20);
  });

  it('puts a landed cost on the units still on hand and the rest to COGS', () => {
    expect(applyLandedCost(at(10, 1200), 2000, 10)).toMatchObject({ toInventory: 2000, toCogs: 0 });
    const partly = applyLandedCost(at(6, 7200), 500, 10);
    expect(partly).toMatchObject({
      toInventory: 300,
      toCogs: 200,
      position: { value: 7500, lastUnitCost: 1250 },
    });
    // More on hand than the receipt brought (other receipts): only the receipt's units take it.
    expect(applyLandedCost(at(50, 5000), 100, 10)).toMatchObject({ toInventory: 100, toCogs: 0 });
    expect(applyLandedCost(at(0, 0), 100, 10)).toMatchObject({ toInventory: 0, toCogs: 100 });
  });
});

describe('posting rules', () => {
  it('books a receipt Dr inventory / Cr GRNI and a shipment Dr COGS / Cr inventory, balanced', () => {
    const book = new PositionBook([], 'USD');
    const receipt = receiveInto(
      book,
      { sku: 'A', locationId: 'WH', quantity: 4, value: 1000, currency: 'USD' },
      'grni',
      where,
    );
    const shipment = issueFrom(book, { sku: 'A', locationId: 'WH', quantity: 1 }, 'cogs', where);
    const lines = numberLines([...receipt, ...shipment], DEFAULT_CHART);
    expect(lines.map((l) => [l.lineNo, l.account, l.debit, l.credit])).toEqual([
      [1, '1300', 1000, 0],
      [2, '2100', 0, 1000],
      [3, '5000', 250, 0],
      [4, '1300', 0, 250],
    ]);
    expect(isBalanced(lines)).toBe(true);
    expect(book.changed()).toEqual([expect.objectContaining({ quantity: 3, value: 750, version: 0 })]);
  });

  it('books found units at the average against inventory variance', () => {
    const book = new PositionBook([at(4, 1000)], 'USD');
    const lines = foundUnits(book, { sku: 'A', locationId: 'WH', quantity: 2 }, where);
    expect(lines.map((l) => [l.role, l.debit, l.credit])).toEqual([
      ['inventory', 500, 0],
      ['inventory_variance', 0, 500],
    ]);
  });

  it('refuses to average a receipt in another currency into stock valued in one', () => {
    const book = new PositionBook([at(4, 1000)], 'USD');
    expect(() =>
      receiveInto(
        book,
        { sku: 'A', locationId: 'WH', quantity: 1, value: 1, currency: 'EUR' },
        'grni',
        where,
      ),
    ).toThrow(/valued in USD/);
  });

  it('ships a kit as its components and prices revenue per line less its discount share', () => {
    const kits = new Map([
      [
        'KIT',
        [
          { sku: 'A', quantity: 2 },
          { sku: 'B', quantity: 1 },
        ],
      ],
    ]);
    expect(expandKits([{ lineId: '1', sku: 'KIT', quantity: 3 }], kits)).toEqual([
      { lineId: '1', sku: 'A', quantity: 6 },
      { lineId: '1', sku: 'B', quantity: 3 },
    ]);
    const prices = {
      orderId: 'O',
      channelId: 'web',
      currency: 'USD',
      asOf: '2026-01-01T00:00:00Z',
      lines: [{ lineId: '1', sku: 'KIT', quantity: 4, unitPrice: 1000, discount: 100 }],
    };
    const rev = revenueLines(prices, [{ lineId: '1', sku: 'KIT', quantity: 3 }], {
      reference: 'O',
      locationId: 'WH',
      channelId: 'web',
    });
    expect(rev.map((l) => [l.role, l.debit, l.credit])).toEqual([
      ['receivable', 2925, 0],
      ['revenue', 0, 2925],
    ]);
    expect(revenueLines(undefined, [{ lineId: '1', sku: 'KIT', quantity: 3 }], where)).toEqual([]);
  });

  it('sends a posting dated in a closed month to the next open one, naming the closed month', async () => {
    const closed = new Set(['2026-10', '2026-11']);
    const isClosed = async (p: string) => closed.has(p);
    expect(await postingPeriod('2026-10-31T23:59:59.000Z', isClosed)).toEqual({
      period: '2026-12',
      lateFor: '2026-10',
    });
    expect(await postingPeriod('2026-12-01T00:00:00.000Z', isClosed)).toEqual({ period: '2026-12' });
    closed.add('2026-12');
    expect(await postingPeriod('2026-12-31T10:00:00.000Z', isClosed)).toEqual({
      period: '2027-01',
      lateFor: '2026-12',
    });
  });
});
