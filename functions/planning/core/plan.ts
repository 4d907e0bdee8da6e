import {
  addSums,
  type ErrorSums,
  type ForecastMethod,
  forecastSeries,
  type Metrics,
  metricsOf,
} from './forecast.ts';
import {
  type Arrival,
  addDays,
  type PositionPlan,
  planPosition,
  type Suggestion,
  suggestFor,
} from './replenishment.ts';

/**
 * A planning run over every series, pure: history in, forecasts, backtest figures, positions
 * and suggestions out. The run handler feeds it from the table and other contexts' APIs; the
 * bench feeds it 10,000 synthetic series.
 */

export type AbcClass = 'A' | 'B' | 'C';

export interface SeriesInput {
  sku: string;
  locationId: string;
  /** Daily demand, oldest first, ending the day before `asOf`. */
  values: Float64Array;
  /** 1 on days marked as promotions or known events. */
  excluded?: Uint8Array;
}

export interface StockInput {
  onHand: number;
  backordered: number;
  arrivals: readonly Arrival[];
}

export interface SupplierTerms {
  supplierId: string;
  /** Mean lead time in days (received POs, else the supplier's stated lead time). */
  leadTimeDays: number;
  leadTimeSd: number;
  moq?: number | undefined;
  casePack?: number | undefined;
}

export interface PlanSettings {
  serviceLevels: Record<AbcClass, number>;
  reviewDays: number;
  /** Lead time for a SKU without a known supplier. */
  defaultLeadTimeDays: number;
}

export interface PlanInput {
  asOf: string;
  horizonDays: number;
  series: Iterable<SeriesInput>;
  stock(sku: string, locationId: string): StockInput;
  /** The supplier a SKU is bought from, if any. */
  supplierOf(sku: string): SupplierTerms | undefined;
  abcOf(sku: string): AbcClass;
  settings: PlanSettings;
}

export interface ForecastRecord {
  sku: string;
  locationId: string;
  method: ForecastMethod;
  pattern: string;
  adi: number | null;
  cv2: number;
  daily: { date: string; quantity: number }[];
  backtest: { wape: number | null; baselineWape: number | null; bias: number | null; mase: number | null };
}

export interface PlanOutput {
  forecasts: ForecastRecord[];
  positions: PositionPlan[];
  suggestions: Suggestion[];
  backtest: Metrics & { baseline: Metrics; series: number };
  methods: Record<ForecastMethod, number>;
}

const round3 = (x: number | null) => (x === null ? null : Math.round(x * 1000) / 1000);
const roundMetrics = (m: Metrics): Metrics => ({
  wape: round3(m.wape),
  bias: round3(m.bias),
  mase: round3(m.mase),
});

export function planRun(input: PlanInput): PlanOutput {
  const forecasts: ForecastRecord[] = [];
  const total = { method: zero(), baseline: zero() };
  const mase = { method: [] as number[], baseline: [] as number[] };
  const methods: Record<ForecastMethod, number> = { 'holt-winters': 0, sba: 0, 'seasonal-naive': 0, mean: 0 };
  const bySku = new Map<string, Parameters<typeof suggestFor>[0][number][]>();
  const dates = Array.from({ length: input.horizonDays }, (_, i) => addDays(input.asOf, i));

  for (const s of input.series) {
    const f = forecastSeries(s.values, input.horizonDays, s.excluded);
    methods[f.method]++;
    let bt: ForecastRecord['backtest'] = { wape: null, baselineWape: null, bias: null, mase: null };
    if (f.backtest) {
      addSums(total.method, f.backtest.method);
      addSums(total.baseline, f.backtest.baseline);
      const m = metricsOf(f.backtest.method, f.backtest.scale);
      const b = metricsOf(f.backtest.baseline, f.backtest.scale);
      if (m.mase !== null) mase.method.push(m.mase);
      if (b.mase !== null) mase.baseline.push(b.mase);
      bt = { wape: round3(m.wape), baselineWape: round3(b.wape), bias: round3(m.bias), mase: round3(m.mase) };
    }
    forecasts.push({
      sku: s.sku,
      locationId: s.locationId,
      method: f.method,
      pattern: f.classification.pattern,
      adi: Number.isFinite(f.classification.adi) ? round3(f.classification.adi) : null,
      cv2: round3(f.classification.cv2) ?? 0,
      daily: dates.map((date, i) => ({ date, quantity: Math.round((f.daily[i] as number) * 100) / 100 })),
      backtest: bt,
    });

    const supplier = input.supplierOf(s.sku);
    const stock = input.stock(s.sku, s.locationId);
    const position = planPosition({
      sku: s.sku,
      locationId: s.locationId,
      asOf: input.asOf,
      daily: f.daily,
      sigmaDemand: f.sigma,
      leadTimeDays: supplier?.leadTimeDays ?? input.settings.defaultLeadTimeDays,
      leadTimeSd: supplier?.leadTimeSd ?? 0,
      serviceLevel: input.settings.serviceLevels[input.abcOf(s.sku)],
      reviewDays: input.settings.reviewDays,
      onHand: stock.onHand,
      arrivals: stock.arrivals,
      backordered: stock.backordered,
    });
    const list = bySku.get(s.sku) ?? [];
    list.push({
      ...position,
      ...(supplier
        ? { supplierId: supplier.supplierId, moq: supplier.moq, casePack: supplier.casePack }
        : {}),
    });
    bySku.set(s.sku, list);
  }

  const positions: PositionPlan[] = [];
  const suggestions: Suggestion[] = [];
  for (const list of bySku.values()) {
    positions.push(...list.map(({ supplierId: _s, moq: _m, casePack: _c, ...p }) => p));
    suggestions.push(...suggestFor(list));
  }
  const median = (xs: number[]) => {
    if (!xs.length) return null;
    const s = [...xs].sort((a, b) => a - b);
    const mid = s.length >> 1;
    return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
  };
  // Overall WAPE and bias pool every scored day (volume-weighted); MASE is scale-free, so the
  // overall figure is the median of the series' (one wild low-volume series cannot swing it).
  const overall = { ...metricsOf(total.method, null), mase: median(mase.method) };
  const baseline = { ...metricsOf(total.baseline, null), mase: median(mase.baseline) };
  return {
    forecasts,
    positions,
    suggestions,
    backtest: { ...roundMetrics(overall), baseline: roundMetrics(baseline), series: forecasts.length },
    methods,
  };
}

function zero(): ErrorSums {
  return { absError: 0, error: 0, squaredError: 0, actual: 0, points: 0 };
}
