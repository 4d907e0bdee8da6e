import { describe, expect, it } from 'vitest';
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
