import { describe, expect, it } from 'vitest';
import { planWave } from '../../functions/fulfillment/core/wave-planning.ts';
import type { Fulfillment } from '../../functions/fulfillment/schemas/fulfillment.ts';

const NOW = new Date('2026-06-10T14:00:00.000Z');
const inMinutes = (m: number) => new Date(NOW.getTime() + m * 60_000).toISOString();

function fulfillment(
  id: string,
  opts: { cutoffIn?: number; priority?: number; createdAt?: string; units?: number } = {},
): Fulfillment {
  return {
    fulfillmentId: id,
    orderId: `o-${id}`,
    channelId: 'web',
    externalId: id,
    locationId: 'EAST',
    reservationId: id,
    serviceLevel: 'standard',
    priority: opts.priority ?? 1,
    status: 'released',
    lines: [{ lineId: '1', sku: 'LAMP', quantity: opts.units ?? 1, picked: 0, packed: 0, shorted: 0 }],
    ...(opts.cutoffIn === undefined ? {} : { cutoffAt: inMinutes(opts.cutoffIn) }),
    createdAt: opts.createdAt ?? '2026-06-10T09:00:00.000Z',
    updatedAt: '2026-06-10T09:00:00.000Z',
    version: 1,
  };
}

const plan = (fulfillments: Fulfillment[], opts: { unitsAhead?: number; maxOrders?: number } = {}) =>
  planWave({
    now: NOW,
    fulfillments,
    unitsPerMinute: 1,
    unitsAhead: opts.unitsAhead ?? 0,
    maxOrders: opts.maxOrders ?? 50,
  });

describe('planWave', () => {
  it('takes the earliest cutoff and only the fulfillments sharing it', () => {
    const result = plan([
      fulfillment('late', { cutoffIn: 240 }),
      fulfillment('early-b', { cutoffIn: 120 }),
      fulfillment('early-a', { cutoffIn: 120, createdAt: '2026-06-10T08:00:00.000Z' }),
    ]);
    expect(result).toEqual({
      fulfillmentIds: ['early-a', 'early-b'],
      cutoffAt: inMinutes(120),
      atRisk: [],
      rolled: [],
    });
  });

  it('breaks a cutoff tie by priority, then by age', () => {
    const result = plan([
      fulfillment('standard-old', { cutoffIn: 120, priority: 1, createdAt: '2026-06-10T07:00:00.000Z' }),
      fulfillment('overnight', { cutoffIn: 120, priority: 3, createdAt: '2026-06-10T09:00:00.000Z' }),
      fulfillment('standard-new', { cutoffIn: 120, priority: 1, createdAt: '2026-06-10T08:00:00.000Z' }),
    ]);
    expect(result.fulfillmentIds).toEqual(['overnight', 'standard-old', 'standard-new']);
  });

  it('moves a fulfillment that would miss its cutoff to the front, and its cutoff group with it', () => {
    // At 1 unit a minute with 50 units in open waves: 'soon' (5 units, due in 60 min) is fine,
    // 'big' (100 units, due in 120 min) needs 155 minutes of picking and is at risk.
    const result = plan(
      [
        fulfillment('soon', { cutoffIn: 60, units: 5 }),
        fulfillment('big', { cutoffIn: 120, units: 100 }),
        fulfillment('big-mate', { cutoffIn: 120, units: 1, priority: 0 }),
      ],
      { unitsAhead: 50 },
    );
    expect(result.atRisk).toEqual([
      { fulfillmentId: 'big', minutesLeft: 120, minutesNeeded: 155 },
      { fulfillmentId: 'big-mate', minutesLeft: 120, minutesNeeded: 156 },
    ]);
    expect(result.fulfillmentIds).toEqual(['big', 'big-mate']);
    expect(result.cutoffAt).toBe(inMinutes(120));
  });

  it('puts an at-risk fulfillment ahead of others with its cutoff when maxOrders cuts the wave', () => {
    const result = plan(
      [
        fulfillment('a', { cutoffIn: 30, units: 1, createdAt: '2026-06-10T07:00:00.000Z' }),
        fulfillment('b', { cutoffIn: 30, units: 1, createdAt: '2026-06-10T08:00:00.000Z' }),
        fulfillment('c', { cutoffIn: 30, units: 40, createdAt: '2026-06-10T08:30:00.000Z' }),
      ],
      { maxOrders: 2 },
    );
    expect(result.atRisk.map((r) => r.fulfillmentId)).toEqual(['c']);
    expect(result.fulfillmentIds).toEqual(['c', 'a']);
  });

  it('caps the wave at maxOrders', () => {
    const result = plan(
      ['f1', 'f2', 'f3', 'f4'].map((id, i) =>
        fulfillment(id, { cutoffIn: 300, createdAt: `2026-06-10T0${i}:00:00.000Z` }),
      ),
      { maxOrders: 3 },
    );
    expect(result.fulfillmentIds).toEqual(['f1', 'f2', 'f3']);
  });

  it('plans fulfillments without a cutoff last, together, with no wave cutoff', () => {
    const withCutoff = plan([
      fulfillment('none-1'),
      fulfillment('dated', { cutoffIn: 600 }),
      fulfillment('none-2'),
    ]);
    expect(withCutoff.fulfillmentIds).toEqual(['dated']);

    const undated = plan([fulfillment('none-1', { priority: 0 }), fulfillment('none-2', { priority: 2 })]);
    expect(undated.fulfillmentIds).toEqual(['none-2', 'none-1']);
    expect(undated).not.toHaveProperty('cutoffAt');
    expect(undated.atRisk).toEqual([]);
  });

  it('leaves fulfillments whose cutoff passed out of the plan and lists them to roll', () => {
    const result = plan([fulfillment('missed', { cutoffIn: -5 }), fulfillment('next', { cutoffIn: 90 })]);
    expect(result.rolled).toEqual(['missed']);
    expect(result.fulfillmentIds).toEqual(['next']);
  });

  it('answers an empty plan when nothing is ready', () => {
    expect(plan([])).toEqual({ fulfillmentIds: [], atRisk: [], rolled: [] });
  });
});
