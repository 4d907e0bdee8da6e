import { describe, expect, it } from 'vitest';
import { linesFromReservation } from '../../functions/fulfillment/core/fulfillments.ts';
import { effectiveSettings } from '../../functions/fulfillment/core/settings.ts';

describe('fulfillment lines from a reservation', () => {
  it('gives each order line its own units when one reservation line merged them', () => {
    const lines = linesFromReservation(
      {
        locationId: 'WH1',
        lines: [
          { lineId: 'L1', sku: 'MUG', quantity: 2 },
          { lineId: 'L2', sku: 'MUG', quantity: 1 },
        ],
      },
      {
        lines: [{ sku: 'MUG', quantity: 3 }],
        // A sharded SKU: the units come from two shards of one position.
        allocations: [
          { lineIndex: 0, sku: 'MUG', locationId: 'WH1', quantity: 2 },
          { lineIndex: 0, sku: 'MUG', locationId: 'WH1', quantity: 1 },
        ],
      },
    );
    expect(lines).toEqual([
      { lineId: 'L1', sku: 'MUG', quantity: 2, picked: 0, packed: 0, shorted: 0 },
      { lineId: 'L2', sku: 'MUG', quantity: 1, picked: 0, packed: 0, shorted: 0 },
    ]);
  });

  it('lists a kit as its components, each knowing its units per kit', () => {
    const lines = linesFromReservation(
      { locationId: 'WH1', lines: [{ lineId: 'L1', sku: 'TENT-KIT', quantity: 2 }] },
      {
        lines: [{ sku: 'TENT-KIT', quantity: 2 }],
        allocations: [
          { lineIndex: 0, sku: 'TENT', locationId: 'WH1', quantity: 2, kitSku: 'TENT-KIT' },
          { lineIndex: 0, sku: 'POLE', locationId: 'WH1', quantity: 4, kitSku: 'TENT-KIT' },
        ],
      },
    );
    expect(lines.map((l) => [l.lineId, l.sku, l.kitSku, l.quantity, l.unitsPerKit])).toEqual([
      ['L1', 'TENT', 'TENT-KIT', 2, 1],
      ['L1', 'POLE', 'TENT-KIT', 4, 2],
    ]);
  });
});

describe('fulfillment settings', () => {
  it('plans with the configured rate until 20 units were picked, then with the measured one', () => {
    expect(effectiveSettings('WH1', { locationId: 'WH1', pickedUnits: 19, pickSeconds: 60 })).toMatchObject({
      unitsPerMinute: 4,
      unitsPerMinuteSource: 'configured',
      claimTimeoutSeconds: 300,
      maxOrdersPerWave: 50,
      autoWave: false,
    });
    expect(
      effectiveSettings('WH1', { locationId: 'WH1', unitsPerMinute: 6, pickedUnits: 30, pickSeconds: 600 }),
    ).toMatchObject({ unitsPerMinute: 3, unitsPerMinuteSource: 'measured', configuredUnitsPerMinute: 6 });
  });
});
