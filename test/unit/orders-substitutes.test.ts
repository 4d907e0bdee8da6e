import { describe, expect, it } from 'vitest';
import { substituteShortLines } from '../../functions/orders/release/core/substitutes.ts';

const stock = (entries: Record<string, Record<string, number>>) =>
  new Map(
    Object.entries(entries).map(([sku, at]) => [
      sku,
      new Map(Object.entries(at).map(([loc, available]) => [loc, { available, inTransit: 0, reserved: 0 }])),
    ]),
  );

describe('substitutes for short lines', () => {
  it('keeps a line its own SKU can cover', () => {
    const out = substituteShortLines(
      [{ lineId: 'L1', sku: 'A', quantity: 2 }],
      new Map([['A', ['B']]]),
      stock({ A: { W1: 2 }, B: { W1: 9 } }),
      ['W1'],
    );
    expect(out).toEqual({ lines: [{ lineId: 'L1', sku: 'A', quantity: 2 }], substitutions: [] });
  });

  it('takes the first substitute, in the catalog’s order, that covers the line', () => {
    const out = substituteShortLines(
      [{ lineId: 'L1', sku: 'A', quantity: 3 }],
      new Map([['A', ['B', 'C']]]),
      stock({ A: { W1: 1 }, B: { W1: 2 }, C: { W1: 1, W2: 2 } }),
      ['W1', 'W2'],
    );
    expect(out.lines).toEqual([{ lineId: 'L1', sku: 'C', quantity: 3 }]);
    expect(out.substitutions).toEqual([{ lineId: 'L1', from: 'A', to: 'C' }]);
  });

  it('counts stock only at the channel’s locations and once across lines', () => {
    const out = substituteShortLines(
      [
        { lineId: 'L1', sku: 'A', quantity: 2 },
        { lineId: 'L2', sku: 'A', quantity: 2 },
      ],
      new Map([['A', ['B']]]),
      stock({ A: { W1: 2 }, B: { W1: 1, ELSEWHERE: 5 } }),
      ['W1'],
    );
    expect(out.lines.map((l) => l.sku)).toEqual(['A', 'A']);
    expect(out.substitutions).toEqual([]);
  });
});
