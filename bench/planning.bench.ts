import { planRun, type SeriesInput } from '#planning/api';
import { type Bench, round } from './context.ts';

/**
 * A planning run over 10,000 SKU × location series (`QM_BENCH_SCALE` scales it) of a year of
 * daily demand each: classification, Holt-Winters or SBA fitted on a parameter grid, the
 * four-week rolling-origin backtest beside seasonal naive, safety stock, reorder points and
 * suggestions, in memory (the core a run executes; its table reads and writes are not timed).
 * Series are generated as the run consumes them, with a fixed seed, so memory shows the run's
 * own footprint, sampled as it goes; 30 % are intermittent.
 */
const DAYS = 365;
const LOCATIONS = ['WH1', 'WH2', 'WH3'];
const WEEKLY = [1.3, 1.1, 1.0, 0.9, 1.0, 0.7, 1.0];

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

const bench: Bench = async ({ scale }) => {
  const count = Math.max(500, Math.round(10_000 * scale));
  const random = rng(19);
  global.gc?.();
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const sample = () => {
    peak = Math.max(peak, process.memoryUsage().rss);
  };
  function* series(): Iterable<SeriesInput> {
    for (let i = 0; i < count; i++) {
      const values = new Float64Array(DAYS);
      if (i % 10 < 3) {
        const p = 0.1 + random() * 0.3;
        for (let t = 0; t < DAYS; t++) values[t] = random() < p ? 1 + Math.floor(random() * 8) : 0;
      } else {
        const level = 5 + random() * 60;
        const slope = (random() - 0.4) * 0.05;
        for (let t = 0; t < DAYS; t++) {
          const mean = Math.max(0.2, (level + slope * t) * (WEEKLY[t % 7] as number));
          values[t] = Math.max(
            0,
            Math.round(mean + Math.sqrt(mean) * (random() + random() + random() - 1.5) * 2),
          );
        }
      }
      if (i % 500 === 0) sample();
      yield {
        sku: `SKU-${Math.floor(i / LOCATIONS.length)}`,
        locationId: LOCATIONS[i % LOCATIONS.length] as string,
        values,
      };
    }
  }
  const started = performance.now();
  const out = planRun({
    asOf: '2026-06-01',
    horizonDays: 56,
    series: series(),
    stock: (sku) => ({ onHand: (sku.length * 37) % 400, backordered: 0, arrivals: [] }),
    supplierOf: () => ({ supplierId: 'ACME', leadTimeDays: 9, leadTimeSd: 2, moq: 24, casePack: 12 }),
    abcOf: (sku) => (['A', 'B', 'C'] as const)[sku.length % 3] as 'A' | 'B' | 'C',
    settings: { serviceLevels: { A: 0.98, B: 0.95, C: 0.9 }, reviewDays: 7, defaultLeadTimeDays: 14 },
  });
  const seconds = (performance.now() - started) / 1000;
  sample();
  const mb = (b: number) => round(b / 1024 / 1024);
  return {
    series: out.forecasts.length,
    daysPerSeries: DAYS,
    horizonDays: 56,
    seconds: round(seconds),
    seriesPerSecond: round(out.forecasts.length / seconds),
    methods: out.methods,
    backtest: out.backtest,
    suggestions: {
      po: out.suggestions.filter((s) => s.type === 'po').length,
      transfer: out.suggestions.filter((s) => s.type === 'transfer').length,
    },
    rssBeforeMb: mb(baseline),
    peakRssMb: mb(peak),
    peakGrowthMb: mb(peak - baseline),
    note: 'planRun in memory: forecasts (grid-fitted Holt-Winters or SBA), 4-week rolling-origin backtest beside seasonal naive, SS/ROP, transfers and POs; table I/O not included',
  };
};

export default bench;
