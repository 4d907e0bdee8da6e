import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Sku } from '../../functions/catalog/schemas/sku.ts';
import {
  chooseLocation,
  distribute,
  explodeKits,
  homeShard,
  kitAvailability,
  sumByPosition,
} from '../../functions/inventory/core/allocation.ts';

const sku = (id: string, extra: Partial<Sku> = {}): Sku => ({
  sku: id,
  name: id,
  createdAt: '',
  updatedAt: '',
  ...extra,
});
const catalog = new Map<string, Sku>([
  ['MUG', sku('MUG')],
  ['LID', sku('LID')],
  [
    'SET',
    sku('SET', {
      kit: {
        components: [
          { sku: 'MUG', quantity: 2 },
          { sku: 'LID', quantity: 1 },
        ],
      },
    }),
  ],
]);

describe('kit explosion', () => {
  it('replaces a kit line by its components times the line quantity, remembering the kit', () => {
    expect(explodeKits([{ sku: 'SET', locationId: 'WH1', quantity: 3 }], catalog)).toEqual([
      { lineIndex: 0, sku: 'MUG', quantity: 6, kitSku: 'SET', locationId: 'WH1' },
      { lineIndex: 0, sku: 'LID', quantity: 3, kitSku: 'SET', locationId: 'WH1' },
    ]);
  });

  it('passes other lines through unchanged', () => {
    expect(explodeKits([{ sku: 'MUG', quantity: 1 }], catalog)).toEqual([
      { lineIndex: 0, sku: 'MUG', quantity: 1 },
    ]);
  });
});

describe('summing lines per position', () => {
  it('turns lines that hit the same position into one demand with their sum', () => {
    const demands = explodeKits(
      [
        { sku: 'MUG', locationId: 'WH1', quantity: 1 },
        { sku: 'SET', locationId: 'WH1', quantity: 1 },
        { sku: 'MUG', locationId: 'WH2', quantity: 4 },
      ],
      catalog,
    ) as { lineIndex: number; sku: string; locationId: string; quantity: number }[];
    const groups = sumByPosition(demands);
    expect(groups.map((g) => [g.sku, g.locationId, g.quantity, g.parts.length])).toEqual([
      ['MUG', 'WH1', 3, 2],
      ['LID', 'WH1', 1, 1],
      ['MUG', 'WH2', 4, 1],
    ]);
  });
});

describe('spreading a demand over shards', () => {
  it('takes everything from the home shard when it can', () => {
    expect(
      distribute(
        [
          { shard: 0, available: 5 },
          { shard: 1, available: 9 },
        ],
        4,
        0,
      ),
    ).toEqual([{ shard: 0, quantity: 4 }]);
  });

  it('falls back to the fullest shards when the home shard is short, so no unit is stranded', () => {
    expect(
      distribute(
        [
          { shard: 0, available: 1 },
          { shard: 1, available: 2 },
          { shard: 2, available: 1 },
        ],
        4,
        0,
      ),
    ).toEqual([
      { shard: 1, quantity: 2 },
      { shard: 0, quantity: 1 },
      { shard: 2, quantity: 1 },
    ]);
  });

  it('takes exactly the quantity, never more than a shard has, and refuses only when the total is short', () => {
    const shards = fc
      .array(fc.nat({ max: 20 }), { minLength: 1, maxLength: 10 })
      .map((a) => a.map((available, shard) => ({ shard, available })));
    fc.assert(
      fc.property(shards, fc.integer({ min: 1, max: 120 }), fc.nat(), (list, quantity, home) => {
        const split = distribute(list, quantity, home % list.length);
        const total = list.reduce((s, x) => s + x.available, 0);
        if (total < quantity) {
          expect(split).toBeUndefined();
        } else {
          expect(split?.reduce((s, x) => s + x.quantity, 0)).toBe(quantity);
          for (const part of split ?? [])
            expect(part.quantity).toBeLessThanOrEqual(list[part.shard]?.available ?? 0);
        }
      }),
    );
  });

  it('gives a reservation the same home shard every time, within the shard count', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.integer({ min: 1, max: 32 }), (id, shards) => {
        const home = homeShard(id, 'SKU', 'WH1', shards);
        expect(home).toBe(homeShard(id, 'SKU', 'WH1', shards));
        expect(home).toBeGreaterThanOrEqual(0);
        expect(home).toBeLessThan(shards);
      }),
    );
  });
});

describe('kit availability', () => {
  it('is the minimum over components of floor(component available ÷ quantity per kit)', () => {
    const available: Record<string, number> = { MUG: 7, LID: 5 };
    expect(
      kitAvailability(
        [
          { sku: 'MUG', quantity: 2 },
          { sku: 'LID', quantity: 1 },
        ],
        (s) => available[s] ?? 0,
      ),
    ).toBe(3);
  });

  it('is zero when a component is missing or negative', () => {
    expect(
      kitAvailability(
        [
          { sku: 'MUG', quantity: 1 },
          { sku: 'NONE', quantity: 1 },
        ],
        (s) => (s === 'MUG' ? 9 : 0),
      ),
    ).toBe(0);
    expect(kitAvailability([{ sku: 'MUG', quantity: 1 }], () => -3)).toBe(0);
  });
});

describe('choosing a location for a line that names none', () => {
  it('picks the location that covers the line with the most to spare', () => {
    expect(
      chooseLocation(
        [
          { locationId: 'A', available: 3 },
          { locationId: 'B', available: 8 },
          { locationId: 'C', available: 8 },
        ],
        2,
      ),
    ).toBe('B');
  });

  it('picks none when no single location covers the line', () => {
    expect(
      chooseLocation(
        [
          { locationId: 'A', available: 3 },
          { locationId: 'B', available: 2 },
        ],
        4,
      ),
    ).toBeUndefined();
  });
});
