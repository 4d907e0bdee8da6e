import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  adjustmentDeltas,
  applyDeltas,
  availableOf,
  bucketsOf,
  consumeDeltas,
  type Deltas,
  moveDeltas,
  primaryBucket,
  receiptDeltas,
  releaseDeltas,
  requirements,
  reserveDeltas,
  satisfies,
  sumBuckets,
  violations,
} from '../../functions/inventory/core/stock-position.ts';
import { ALL_BUCKETS, type Buckets, MOVE_BUCKETS } from '../../functions/inventory/schemas/stock.ts';

const position = (p: Partial<Buckets>) => bucketsOf(p);

describe('available', () => {
  it('is onHand minus every held bucket, with inTransit beside it', () => {
    const b = position({
      onHand: 20,
      reserved: 3,
      damaged: 2,
      quarantined: 1,
      returnedPending: 4,
      safetyStock: 5,
      inTransit: 9,
    });
    expect(availableOf(b)).toBe(5);
  });

  it('sums shard items bucket by bucket and derives available from the sum', () => {
    const total = sumBuckets([position({ onHand: 5, reserved: 2 }), position({ onHand: 7, damaged: 1 })]);
    expect(total).toMatchObject({ onHand: 12, reserved: 2, damaged: 1, available: 9 });
  });
});

describe('commands as bucket deltas', () => {
  it('adjusts onHand, or onHand and a physical bucket, or inTransit alone', () => {
    expect(adjustmentDeltas(4)).toEqual({ onHand: 4 });
    expect(adjustmentDeltas(-2, 'damaged')).toEqual({ onHand: -2, damaged: -2 });
    expect(adjustmentDeltas(6, 'inTransit')).toEqual({ inTransit: 6 });
  });

  it('receives returns into returnedPending and takes expected units off inTransit', () => {
    expect(receiptDeltas(3, 'returnedPending')).toEqual({ onHand: 3, returnedPending: 3 });
    expect(receiptDeltas(5, 'available', true)).toEqual({ onHand: 5, inTransit: -5 });
  });

  it('moves between buckets without changing onHand', () => {
    expect(moveDeltas('available', 'quarantined', 2)).toEqual({ quarantined: 2 });
    expect(moveDeltas('returnedPending', 'available', 2)).toEqual({ returnedPending: -2 });
    expect(moveDeltas('quarantined', 'damaged', 1)).toEqual({ quarantined: -1, damaged: 1 });
  });

  it('consumes a reservation by taking the units out of onHand and reserved alike', () => {
    expect(applyDeltas(position({ onHand: 10, reserved: 4 }), consumeDeltas(4))).toMatchObject({
      onHand: 6,
      reserved: 0,
      available: 6,
    });
  });

  it('requires available for a reservation and the reserved units for a release', () => {
    expect(requirements(reserveDeltas(3))).toEqual([{ field: 'available', atLeast: 3 }]);
    expect(requirements(releaseDeltas(3))).toEqual([{ field: 'reserved', atLeast: 3 }]);
  });

  it('names the bucket a change is mainly about for the ledger', () => {
    expect(primaryBucket({ onHand: -2, damaged: -2 })).toEqual({ bucket: 'onHand', delta: -2 });
    expect(primaryBucket({ quarantined: -1, damaged: 1 })).toEqual({ bucket: 'damaged', delta: 1 });
    expect(primaryBucket({ reserved: 2 })).toEqual({ bucket: 'reserved', delta: 2 });
  });
});

describe('invariant 1 is what the write condition protects', () => {
  const bucketsArb = fc.record(
    Object.fromEntries(ALL_BUCKETS.map((b) => [b, fc.nat({ max: 30 })])) as Record<
      keyof Buckets,
      fc.Arbitrary<number>
    >,
  );
  const validPosition = bucketsArb.map((b) => ({
    ...b,
    onHand: b.onHand + b.reserved + b.damaged + b.quarantined + b.returnedPending + b.safetyStock,
  }));
  const deltaArb: fc.Arbitrary<Deltas> = fc.oneof(
    fc
      .integer({ min: -20, max: 20 })
      .filter((d) => d !== 0)
      .map((d) => adjustmentDeltas(d)),
    fc
      .tuple(
        fc.constantFrom(...MOVE_BUCKETS),
        fc.constantFrom(...MOVE_BUCKETS),
        fc.integer({ min: 1, max: 20 }),
      )
      .filter(([a, b]) => a !== b)
      .map(([a, b, q]) => moveDeltas(a, b, q)),
    fc.integer({ min: 1, max: 20 }).map(reserveDeltas),
    fc.integer({ min: 1, max: 20 }).map(releaseDeltas),
    fc.integer({ min: 1, max: 20 }).map(consumeDeltas),
    fc.integer({ min: 1, max: 20 }).map((q) => receiptDeltas(q, 'returnedPending', true)),
  );

  it('leaves no bucket negative and available ≥ 0 after any change whose requirements hold', () => {
    fc.assert(
      fc.property(validPosition, deltaArb, (b, d) => {
        const before = bucketsOf(b);
        fc.pre(satisfies(before, d));
        expect(violations(applyDeltas(before, d))).toEqual([]);
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses exactly the changes that would break it', () => {
    fc.assert(
      fc.property(validPosition, deltaArb, (b, d) => {
        const before = bucketsOf(b);
        expect(satisfies(before, d)).toBe(violations(applyDeltas(before, d)).length === 0);
      }),
      { numRuns: 2000 },
    );
  });
});
