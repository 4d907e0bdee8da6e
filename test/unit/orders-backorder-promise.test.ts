import { describe, expect, it } from 'vitest';
import { expectedAvailability, type SkuArrivals } from '../../functions/orders/release/core/routing.ts';
import { routingRuleSet, type StockSnapshot } from '../../functions/orders/release/schemas.ts';

/** A short line's promise: inbound's arrivals at serving nodes, else supplier lead time, else the old default. */
const rules = routingRuleSet.parse({});
const now = new Date('2026-12-05T12:00:00.000Z');
const line = { lineId: 'l1', sku: 'S', quantity: 10 };
const stock = (available: number, inTransit = 0): StockSnapshot =>
  new Map([['S', new Map([['W', { available, inTransit }]])]]);
const arrivals = (a: SkuArrivals) => new Map([['S', a]]);

describe('expectedAvailability', () => {
  it('takes the earliest day by which arrivals at serving nodes cover what is missing', () => {
    const expected = arrivals({
      arrivals: [
        { locationId: 'ELSEWHERE', expectedAt: '2026-12-06', quantity: 100 },
        { locationId: 'W', expectedAt: '2026-12-08', quantity: 4 },
        { locationId: 'W', expectedAt: '2026-12-12', quantity: 4 },
        { locationId: 'W', expectedAt: '2026-12-30', quantity: 50 },
      ],
      leadTimeDays: 3,
    });
    // 2 available: 8 missing, covered by the first two W arrivals (the other node does not serve).
    expect(expectedAvailability(line, ['W'], stock(2), rules, now, expected)).toBe(
      '2026-12-12T00:00:00.000Z',
    );
    // Nothing available: the third arrival is needed.
    expect(expectedAvailability(line, ['W'], stock(0), rules, now, expected)).toBe(
      '2026-12-30T00:00:00.000Z',
    );
  });

  it('never promises a day already past (an overdue PO)', () => {
    const overdue = arrivals({ arrivals: [{ locationId: 'W', expectedAt: '2026-11-30', quantity: 20 }] });
    expect(expectedAvailability(line, ['W'], stock(0), rules, now, overdue)).toBe(now.toISOString());
  });

  it('falls back to the supplier lead time, then to the in-transit default, then to no date', () => {
    const tooFew = arrivals({
      arrivals: [{ locationId: 'W', expectedAt: '2026-12-08', quantity: 3 }],
      leadTimeDays: 14,
    });
    expect(expectedAvailability(line, ['W'], stock(0), rules, now, tooFew)).toBe('2026-12-19T12:00:00.000Z');
    const none = arrivals({ arrivals: [] });
    expect(expectedAvailability(line, ['W'], stock(0, 10), rules, now, none)).toBe(
      '2026-12-12T12:00:00.000Z',
    );
    expect(expectedAvailability(line, ['W'], stock(0, 10), rules, now)).toBe('2026-12-12T12:00:00.000Z');
    expect(expectedAvailability(line, ['W'], stock(0), rules, now, none)).toBeNull();
  });
});
