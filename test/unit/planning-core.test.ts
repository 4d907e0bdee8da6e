import { describe, expect, it } from 'vitest';
import { parseDemandCsv, unknownIssues } from '../../functions/planning/core/demand-csv.ts';
import {
  classifyDemand,
  forecastSeries,
  seasonalNaiveForecast,
} from '../../functions/planning/core/forecast.ts';
import { planRun } from '../../functions/planning/core/plan.ts';
import {
  orderQuantity,
  planPosition,
  reorderPoint,
  safetyStock,
  stockoutDate,
  suggestFor,
  zScore,
} from '../../functions/planning/core/replenishment.ts';
import { supplierPerformance } from '../../functions/planning/core/suppliers.ts';

/** mulberry32: a small seeded generator, so the synthetic history is the same on every run. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Poisson by inversion (fine for the means used here). */
function poisson(random: () => number, mean: number): number {
  if (mean <= 0) return 0;
  if (mean > 50) return Math.max(0, Math.round(mean + Math.sqrt(mean) * gaussian(random)));
  const l = Math.exp(-mean);
  let k = 0;
  let p = 1;
  do {
    k++;
    p *= random();
  } while (p > l);
  return k - 1;
}
function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(random() || 1e-12)) * Math.cos(2 * Math.PI * random());
}

const WEEKLY = [1.3, 1.1, 1.0, 0.9, 1.0, 0.7, 1.0];
const DAYS = 210;
const HELD_OUT = 28;

/** Regular series: a level, a trend and a weekly pattern with Poisson noise; intermittent: rare lumps. */
function synthetic(seed: number) {
  const random = rng(seed);
  const regular = Array.from({ length: 30 }, (_, i) => {
    const level = 8 + random() * 40;
    const slope = (random() - 0.3) * 0.08;
    return {
      id: `R${i}`,
      values: Float64Array.from({ length: DAYS }, (_, t) =>
        poisson(random, Math.max(0.5, (level + slope * t) * (WEEKLY[t % 7] as number))),
      ),
    };
  });
  const intermittent = Array.from({ length: 10 }, (_, i) => {
    const p = 0.12 + random() * 0.25;
    const size = 2 + random() * 6;
    return {
      id: `I${i}`,
      values: Float64Array.from({ length: DAYS }, () => (random() < p ? 1 + poisson(random, size) : 0)),
    };
  });
  return { regular, intermittent };
}

describe('forecast on synthetic history with known structure (seed 19)', () => {
  const { regular, intermittent } = synthetic(19);
  const all = [...regular, ...intermittent];

  it('beats seasonal naive by at least 15 % WAPE overall on held-out weeks', () => {
    let errForecast = 0;
    let errNaive = 0;
    let actual = 0;
    for (const s of all) {
      const train = s.values.subarray(0, DAYS - HELD_OUT);
      const test = s.values.subarray(DAYS - HELD_OUT);
      const f = forecastSeries(Float64Array.from(train), HELD_OUT);
      const naive = seasonalNaiveForecast(Float64Array.from(train), HELD_OUT);
      for (let i = 0; i < HELD_OUT; i++) {
        errForecast += Math.abs((f.daily[i] as number) - (test[i] as number));
        errNaive += Math.abs((naive[i] as number) - (test[i] as number));
        actual += test[i] as number;
      }
    }
    const wape = errForecast / actual;
    const naiveWape = errNaive / actual;
    expect(wape).toBeLessThanOrEqual(naiveWape * 0.85);
  });

  it('handles each intermittent series with the intermittent method (SBA), regular ones with Holt-Winters', () => {
    for (const s of intermittent) {
      const f = forecastSeries(s.values, 56);
      expect(f.classification.adi, s.id).toBeGreaterThanOrEqual(1.32);
      expect(f.method, s.id).toBe('sba');
    }
    const methods = regular.map((s) => forecastSeries(s.values, 56).method);
    expect(methods.filter((m) => m === 'holt-winters').length).toBeGreaterThanOrEqual(regular.length * 0.8);
  });
});

describe('classification (Syntetos-Boylan)', () => {
  it('calls a series with ADI ≥ 1.32 intermittent or lumpy, else smooth or erratic', () => {
    expect(classifyDemand([5, 6, 5, 4, 5, 6, 5]).pattern).toBe('smooth');
    expect(classifyDemand([1, 20, 1, 30, 2, 25, 1]).pattern).toBe('erratic');
    const sparse = classifyDemand([0, 3, 0, 0, 3, 0, 4, 0]);
    expect(sparse.adi).toBeCloseTo(8 / 3, 6);
    expect(sparse.pattern).toBe('intermittent');
    expect(classifyDemand([0, 1, 0, 0, 40, 0, 0, 2]).pattern).toBe('lumpy');
  });
});

describe('safety stock, reorder point and order quantity (hand-computed)', () => {
  it('z from the service level', () => {
    expect(zScore(0.95)).toBeCloseTo(1.644854, 5);
    expect(zScore(0.98)).toBeCloseTo(2.053749, 5);
    expect(zScore(0.5)).toBeCloseTo(0, 9);
    expect(() => zScore(1)).toThrow();
  });

  it('SS = z·√(L·σd² + d̄²·σL²) and ROP = d̄·L + SS', () => {
    // z 1.644854, L 9, σd 4, d̄ 20, σL 2: √(9·16 + 400·4) = √1744 = 41.761226 → SS 68.691.
    const ss = safetyStock({
      z: zScore(0.95),
      leadTimeDays: 9,
      sigmaDemand: 4,
      dailyDemand: 20,
      leadTimeSd: 2,
    });
    expect(ss).toBeCloseTo(68.6912, 3);
    expect(reorderPoint(20, 9, ss)).toBeCloseTo(248.6912, 3);
    // No lead-time variability: SS = z·σd·√L = 1.644854 · 4 · 3 = 19.738.
    expect(
      safetyStock({ z: zScore(0.95), leadTimeDays: 9, sigmaDemand: 4, dailyDemand: 20, leadTimeSd: 0 }),
    ).toBeCloseTo(19.7382, 3);
  });

  it('orders up to the level only at or below the ROP, at least the MOQ, in whole cases', () => {
    const base = { reorderPoint: 248.69, orderUpTo: 388.69 };
    expect(orderQuantity({ ...base, position: 249 })).toBe(0);
    expect(orderQuantity({ ...base, position: 100 })).toBe(289);
    expect(orderQuantity({ ...base, position: 100, moq: 300 })).toBe(300);
    expect(orderQuantity({ ...base, position: 100, casePack: 12 })).toBe(300); // 289 → 25 cases
    expect(orderQuantity({ ...base, position: 100, moq: 300, casePack: 24 })).toBe(312); // 300 → 13 cases
    expect(orderQuantity({ ...base, position: 240, moq: 10, casePack: 6 })).toBe(150); // 149 → 25 cases
  });

  it('puts the stock-out on the first day free stock plus arrivals falls below the forecast', () => {
    const daily = [3, 3, 3, 3, 3, 3];
    const asOf = '2026-03-01';
    // 10 − 2 backordered = 8 → 5, 2, (+5) 4, 1, −2 on day 4.
    expect(
      stockoutDate({
        asOf,
        daily,
        onHand: 10,
        backordered: 2,
        arrivals: [{ date: '2026-03-03', quantity: 5 }],
      }),
    ).toBe('2026-03-05');
    expect(stockoutDate({ asOf, daily, onHand: 100, backordered: 0, arrivals: [] })).toBeNull();
    expect(stockoutDate({ asOf, daily, onHand: 1, backordered: 5, arrivals: [] })).toBe(asOf);
  });

  it('plans a position from the forecast: d̄, SS, ROP, at risk when the stock-out comes within the lead time', () => {
    const p = planPosition({
      sku: 'A',
      locationId: 'WH1',
      asOf: '2026-03-01',
      daily: new Float64Array(56).fill(10),
      sigmaDemand: 3,
      leadTimeDays: 4,
      leadTimeSd: 1,
      serviceLevel: 0.95,
      reviewDays: 7,
      onHand: 25,
      arrivals: [{ date: '2026-03-10', quantity: 40 }],
      backordered: 5,
    });
    // SS = 1.644854·√(4·9 + 100·1) = 1.644854·√136 = 19.1822; ROP = 40 + 19.18.
    expect(p.inputs).toEqual({
      dailyDemand: 10,
      leadTimeDays: 4,
      safetyStock: 19.18,
      reorderPoint: 59.18,
      onHand: 25,
      incoming: 40,
      backordered: 5,
    });
    expect(p.position).toBe(60);
    expect(p.orderUpTo).toBeCloseTo(129.18, 2);
    expect(p.stockoutDate).toBe('2026-03-03'); // 20 free: 10, 0, −10 on day 2
    expect(p.atRisk).toBe(true);
  });
});

describe('suggestions', () => {
  const inputs = (onHand: number, reorderPoint: number) => ({
    dailyDemand: 10,
    leadTimeDays: 5,
    safetyStock: 10,
    reorderPoint,
    onHand,
    incoming: 0,
    backordered: 0,
  });
  const at = (locationId: string, onHand: number, reorderPoint: number, orderUpTo: number) => ({
    sku: 'S1',
    locationId,
    inputs: inputs(onHand, reorderPoint),
    leadTimeSd: 0,
    orderUpTo,
    position: onHand,
    stockoutDate: null,
    atRisk: false,
    supplierId: 'ACME',
    moq: 50,
    casePack: 12,
  });

  it('moves excess to a shortage before buying, and buys only what is still short (MOQ, case pack)', () => {
    const out = suggestFor([at('A', 10, 50, 80), at('B', 200, 60, 100)]);
    expect(out).toEqual([
      expect.objectContaining({
        type: 'transfer',
        sku: 'S1',
        locationId: 'A',
        fromLocationId: 'B',
        quantity: 70,
      }),
    ]);
    const short = suggestFor([at('A', 0, 150, 400), at('B', 130, 60, 100)]);
    expect(short.map((s) => [s.type, s.locationId, s.quantity, s.fromLocationId ?? s.supplierId])).toEqual([
      ['transfer', 'A', 30, 'B'],
      ['po', 'A', 372, 'ACME'], // 400 − 30 = 370 → 31 cases of 12
    ]);
    for (const s of short.filter((x) => x.type === 'po')) {
      expect(s.quantity % 12).toBe(0);
      expect(s.quantity).toBeGreaterThanOrEqual(50);
    }
    // A small need still buys the MOQ, rounded up to whole cases.
    const small = suggestFor([at('A', 75, 80, 85)]);
    expect(small).toEqual([expect.objectContaining({ type: 'po', quantity: 60 })]);
  });
});

describe('planRun', () => {
  it('forecasts every series, reports the backtest beside the baseline, and suggests from stock', () => {
    const { regular, intermittent } = synthetic(7);
    const series = [...regular.slice(0, 5), ...intermittent.slice(0, 3)].map((s) => ({
      sku: s.id,
      locationId: 'WH1',
      values: s.values,
    }));
    const out = planRun({
      asOf: '2026-06-01',
      horizonDays: 56,
      series,
      stock: () => ({ onHand: 0, backordered: 0, arrivals: [] }),
      supplierOf: () => ({ supplierId: 'ACME', leadTimeDays: 7, leadTimeSd: 1, moq: 10, casePack: 5 }),
      abcOf: () => 'A',
      settings: { serviceLevels: { A: 0.98, B: 0.95, C: 0.9 }, reviewDays: 7, defaultLeadTimeDays: 14 },
    });
    expect(out.forecasts).toHaveLength(8);
    expect(out.forecasts[0]?.daily).toHaveLength(56);
    expect(out.forecasts[0]?.daily[0]?.date).toBe('2026-06-01');
    expect(out.backtest.wape).not.toBeNull();
    expect(out.backtest.wape as number).toBeLessThan(out.backtest.baseline.wape as number);
    expect(out.methods.sba).toBe(3);
    // Nothing on hand anywhere: every series needs a PO, in whole cases of 5.
    const pos = out.suggestions.filter((s) => s.type === 'po');
    expect(pos).toHaveLength(8);
    for (const s of pos) {
      expect(s.quantity % 5).toBe(0);
      expect(s.stockoutDate).toBe('2026-06-01');
    }
  });
});

describe('supplier performance', () => {
  it('OTIF, fill rate and lead time from the POs followed, cancelled-unreceived ones left out', () => {
    const perf = supplierPerformance(
      [
        // On time, in full: 5 days.
        {
          poId: 'P1',
          supplierId: 'ACME',
          placedAt: '2026-03-01T10:00:00Z',
          expectedAt: '2026-03-08',
          ordered: { A: 10, B: 5 },
          received: { A: 10, B: 5 },
          firstReceivedAt: '2026-03-06T10:00:00Z',
          lastReceivedAt: '2026-03-07T10:00:00Z',
          exceptions: 0,
        },
        // Late and short: 9 days, 8 of 10.
        {
          poId: 'P2',
          supplierId: 'ACME',
          placedAt: '2026-03-01T10:00:00Z',
          expectedAt: '2026-03-05',
          ordered: { A: 10 },
          received: { A: 8 },
          firstReceivedAt: '2026-03-10T10:00:00Z',
          lastReceivedAt: '2026-03-10T10:00:00Z',
          exceptions: 2,
        },
        // Not due yet, nothing received: not judged.
        {
          poId: 'P3',
          supplierId: 'ACME',
          placedAt: '2026-03-20T00:00:00Z',
          expectedAt: '2026-04-30',
          ordered: { A: 4 },
          received: {},
          exceptions: 0,
        },
        // Cancelled before anything came: not judged.
        {
          poId: 'P4',
          supplierId: 'ACME',
          expectedAt: '2026-03-02',
          ordered: { A: 4 },
          received: {},
          exceptions: 0,
          cancelled: true,
        },
      ],
      '2026-03-25',
    );
    expect(perf).toEqual([
      {
        supplierId: 'ACME',
        purchaseOrders: 4,
        judged: 2,
        otif: 0.5,
        leadTimeMeanDays: 7,
        leadTimeSdDays: 2.828, // √((2² + 2²)/1)
        fillRate: 0.92, // (15 + 8) / 25
        receivingExceptions: 2,
      },
    ]);
  });
});

describe('demand CSV', () => {
  it('names each bad row: date, negative or fractional quantity, repeated day, unknown SKU or location', () => {
    const text = [
      'date,sku,locationId,quantity',
      '2026-03-01,A,WH1,4',
      '2026-13-01,A,WH1,4',
      '2026-03-02,A,WH1,-1',
      '2026-03-02,A,WH1,1.5',
      '2026-03-01,A,WH1,7',
      '2099-01-01,A,WH1,1',
    ].join('\n');
    expect(parseDemandCsv(text, '2026-06-01').issues.map((i) => [i.row, i.field])).toEqual([
      [3, 'date'],
      [4, 'quantity'],
      [5, 'quantity'],
      [6, 'date'],
      [7, 'date'],
    ]);
    const ok = parseDemandCsv(
      'date,sku,locationId,quantity\n2026-03-01,A,WH1,4\n2026-03-01,Z,WH9,0\n',
      '2026-06-01',
    );
    expect(ok.issues).toEqual([]);
    expect(ok.rows).toHaveLength(2);
    expect(unknownIssues(ok.rows, new Set(['A']), new Set(['WH1']))).toEqual([
      { row: 3, field: 'sku', message: 'unknown SKU Z' },
      { row: 3, field: 'locationId', message: 'unknown location WH9' },
    ]);
    expect(
      parseDemandCsv('sku,date,locationId,quantity\nA,2026-03-01,WH1,1', '2026-06-01').issues[0]?.field,
    ).toBe('(header)');
  });
});

describe('promotions', () => {
  it('leaves marked days out of the model: a spike on excluded days does not lift the forecast', () => {
    const base = Float64Array.from({ length: 84 }, (_, t) => 10 + (t % 7 === 0 ? 4 : 0));
    const spiked = Float64Array.from(base);
    const excluded = new Uint8Array(84);
    for (let t = 70; t < 77; t++) {
      spiked[t] = 60;
      excluded[t] = 1;
    }
    const plain = forecastSeries(base, 7);
    const marked = forecastSeries(spiked, 7, excluded);
    const unmarked = forecastSeries(spiked, 7);
    const sum = (a: Float64Array) => a.reduce((s, x) => s + x, 0);
    expect(Math.abs(sum(marked.daily) - sum(plain.daily))).toBeLessThan(3);
    expect(sum(unmarked.daily)).toBeGreaterThan(sum(plain.daily) + 10);
  });
});
