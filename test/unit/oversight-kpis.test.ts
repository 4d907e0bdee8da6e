import { describe, expect, it } from 'vitest';
import { C, kpiChange, kpiReport, kpiRows, type OrderFacts } from '../../functions/oversight/core/kpis.ts';

const reads = (facts?: OrderFacts) => ({
  orderFacts: async () => facts,
  costOf: async () => ({ quantity: 10, valueMinor: 5000 }),
});

describe('KPI projection', () => {
  it('counts a shipment perfect only when the whole order left at once, on time, unshorted', async () => {
    const facts: OrderFacts = {
      orderId: 'o1',
      channelId: 'shop',
      receivedAt: '2026-11-02T08:00:00Z',
      unitsOrdered: 3,
      prices: { L1: 1000 },
    };
    const lines = [{ lineId: 'L1', sku: 'A', quantity: 3 }];
    const shipped = { kind: 'shipped', orderId: 'o1', channelId: 'shop', locationId: 'WH1', lines } as const;
    const onTime = await kpiChange(reads(facts), { ...shipped, at: '2026-11-03T08:00:00Z' });
    expect(onTime.counters).toEqual([
      {
        locationId: 'WH1',
        date: '2026-11-03',
        add: expect.objectContaining({
          [C.perfect]: 1,
          [C.cycleSeconds]: 86_400,
          'rev#shop': 3000,
          // 3 units at the average received cost of 500.
          'cogs#shop': 1500,
        }),
      },
    ]);
    const late = await kpiChange(reads(facts), { ...shipped, at: '2026-11-04T08:00:01Z' });
    expect(late.counters[0]?.add[C.perfect]).toBeUndefined();
    const shorted = await kpiChange(reads({ ...facts, shortPicked: true }), {
      ...shipped,
      at: '2026-11-02T09:00:00Z',
    });
    expect(shorted.counters[0]?.add[C.perfect]).toBeUndefined();
  });

  it('counts a backorder’s demand once: unfilled when backordered, its age (not its units) when released', async () => {
    const backordered = await kpiChange(reads(), {
      kind: 'backordered',
      orderId: 'o2',
      at: '2026-11-02T10:00:00Z',
      lines: 2,
      units: 5,
    });
    expect(backordered.counters[0]).toEqual({
      locationId: 'unallocated',
      date: '2026-11-02',
      add: { [C.unitsDemanded]: 5, [C.stockOuts]: 2 },
    });
    const released = await kpiChange(
      reads({ orderId: 'o2', channelId: 'shop', backorderedAt: '2026-11-02T10:00:00Z' }),
      {
        kind: 'released',
        orderId: 'o2',
        locationId: 'WH1',
        at: '2026-11-03T16:00:00Z',
        units: 5,
      },
    );
    expect(released.counters[0]?.add).toEqual({
      [C.backordersReleased]: 1,
      [C.backorderAgeSeconds]: 30 * 3600,
    });
    expect(released.order).toMatchObject({ remove: ['backorderedAt'], backorderIndex: 'remove' });
  });
});

describe('KPI report', () => {
  it('figures a range as the ratio of its sums, not the mean of daily ratios', () => {
    const report = kpiReport('2026-11-02', '2026-11-03', 'WH1', [
      { date: '2026-11-02', counters: { [C.linesCounted]: 1, [C.linesAccurate]: 1 } },
      { date: '2026-11-03', counters: { [C.linesCounted]: 9, [C.linesAccurate]: 0 } },
    ]);
    expect(report.series.inventoryAccuracy).toEqual([
      { date: '2026-11-02', value: 1 },
      { date: '2026-11-03', value: 0 },
    ]);
    expect(report.summary.inventoryAccuracy).toBe(0.1);
    expect(report.summary.fillRate).toBeNull();
  });

  it('exports numerator and denominator per KPI, and margin per channel', () => {
    const rows = kpiRows([
      {
        locationId: 'WH1',
        date: '2026-11-02',
        counters: { [C.cycleSeconds]: 7200, [C.cycleCount]: 2, 'rev#shop': 1000, 'cogs#shop': 400 },
      },
    ]);
    expect(rows).toContainEqual(
      expect.objectContaining({ kpi: 'order_cycle_time', unit: 'seconds', numerator: 7200, denominator: 2 }),
    );
    expect(rows).toContainEqual(
      expect.objectContaining({ kpi: 'gross_margin', channelId: 'shop', numerator: 600, denominator: 1000 }),
    );
    expect(rows.map((r) => r.kpi)).not.toContain('fill_rate');
  });
});
