import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { channelQuantity, exposedQuantity } from '../../functions/inventory/core/channel-availability.ts';

describe('exposure rules', () => {
  it.each([
    ['no rule: everything available', 40, {}, 40],
    ['a percentage, rounded down', 45, { percent: 50 }, 22],
    ['a fixed buffer held back', 40, { buffer: 5 }, 35],
    ['a cap', 40, { cap: 25 }, 25],
    ['a floor: below it nothing is shown', 4, { floor: 5 }, 0],
    ['a floor: at it everything is shown', 5, { floor: 5 }, 5],
    ['buffer first, then the percentage, then the cap', 100, { buffer: 10, percent: 50, cap: 40 }, 40],
    ['never below zero', 3, { buffer: 10 }, 0],
  ])('applies %s', (_name, available, rule, expected) => {
    expect(exposedQuantity(available, rule)).toBe(expected);
  });

  it('never shows more than is available, nor less than zero, and never more when less is available', () => {
    const rule = fc.record(
      {
        percent: fc.integer({ min: 0, max: 100 }),
        buffer: fc.nat({ max: 50 }),
        cap: fc.nat({ max: 500 }),
        floor: fc.nat({ max: 50 }),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.integer({ min: -10, max: 1000 }), fc.nat({ max: 50 }), rule, (available, less, r) => {
        const shown = exposedQuantity(available, r);
        expect(shown).toBeGreaterThanOrEqual(0);
        expect(shown).toBeLessThanOrEqual(Math.max(0, available));
        if (available - less >= (r.floor ?? 0))
          expect(exposedQuantity(available - less, r)).toBeLessThanOrEqual(shown);
      }),
    );
  });
});

describe('channel availability', () => {
  it('sums the available of the locations that serve the channel, ignoring the others', () => {
    const byLocation = new Map([
      ['WH1', 10],
      ['WH2', 6],
      ['STORE', 50],
    ]);
    expect(channelQuantity({ channelId: 'web', locationIds: ['WH1', 'WH2'] }, byLocation)).toBe(16);
    expect(
      channelQuantity(
        { channelId: 'web', locationIds: ['WH1', 'WH2'], exposure: { percent: 50 } },
        byLocation,
      ),
    ).toBe(8);
  });

  it('does not let an oversold location pull the others down', () => {
    expect(
      channelQuantity(
        { channelId: 'web', locationIds: ['A', 'B'] },
        new Map([
          ['A', -2],
          ['B', 5],
        ]),
      ),
    ).toBe(5);
  });
});
