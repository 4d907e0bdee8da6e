/**
 * Demand forecasting, pure and allocation-light (typed arrays): one series is one SKU at one
 * location, one value per day, oldest first. Excluded days (promotions, known events) are
 * replaced before any model sees them and are never scored.
 *
 * - Regular demand: additive Holt-Winters with a damped trend and a 7-day season.
 * - Intermittent demand: Croston with the Syntetos-Boylan correction (SBA).
 * - The pattern decides the candidate (Syntetos-Boylan: ADI ≥ 1.32 is intermittent or lumpy);
 *   a rolling-origin backtest beside seasonal naive decides whether it is used at all.
 */

export const SEASON = 7;
/** Syntetos-Boylan cut-offs. */
export const ADI_CUTOFF = 1.32;
export const CV2_CUTOFF = 0.49;
/** Backtest: the last few weeks, one origin per week, each forecasting the week after it. */
export const BACKTEST_WEEKS = 4;
/** Days of history a model needs before the first backtest origin. */
const MIN_TRAINING = 3 * SEASON;

export type DemandPattern = 'smooth' | 'erratic' | 'intermittent' | 'lumpy';
export type ForecastMethod = 'holt-winters' | 'sba' | 'seasonal-naive' | 'mean';

export interface Classification {
  /** Average inter-demand interval: days / days with demand (Infinity when none). */
  adi: number;
  /** Squared coefficient of variation of the non-zero demand sizes. */
  cv2: number;
  pattern: DemandPattern;
}

export function classifyDemand(y: ArrayLike<number>, from = 0, to = y.length): Classification {
  let k = 0;
  let sum = 0;
  let sumSq = 0;
  for (let t = from; t < to; t++) {
    const v = y[t] as number;
    if (v > 0) {
      k++;
      sum += v;
      sumSq += v * v;
    }
  }
  const n = to - from;
  const adi = k === 0 ? Number.POSITIVE_INFINITY : n / k;
  const mean = k ? sum / k : 0;
  const variance = k > 1 ? (sumSq - k * mean * mean) / (k - 1) : 0;
  const cv2 = mean > 0 ? Math.max(0, variance) / (mean * mean) : 0;
  const sparse = adi >= ADI_CUTOFF;
  const pattern: DemandPattern = sparse
    ? cv2 >= CV2_CUTOFF
      ? 'lumpy'
      : 'intermittent'
    : cv2 >= CV2_CUTOFF
      ? 'erratic'
      : 'smooth';
  return { adi, cv2, pattern };
}

/**
 * The series the models see: an excluded day takes the value of the same weekday one week
 * earlier (itself already cleaned), or the mean of the kept days when there is none.
 */
export function cleanSeries(y: Float64Array, excluded?: Uint8Array): Float64Array {
  if (!excluded) return y;
  const out = Float64Array.from(y);
  let kept = 0;
  let sum = 0;
  for (let t = 0; t < y.length; t++) {
    if (!excluded[t]) {
      kept++;
      sum += y[t] as number;
    }
  }
  const mean = kept ? sum / kept : 0;
  for (let t = 0; t < y.length; t++) {
    if (excluded[t]) out[t] = t >= SEASON ? (out[t - SEASON] as number) : mean;
  }
  return out;
}

// ---------------------------------------------------------------- Holt-Winters (additive, damped)

interface HwParams {
  alpha: number;
  beta: number;
  gamma: number;
  phi: number;
}

/** A small grid: enough to adapt the level, trend and season speeds, cheap enough for 10,000 series. */
const HW_GRID: HwParams[] = [];
for (const alpha of [0.05, 0.15, 0.3])
  for (const beta of [0, 0.03])
    for (const gamma of [0.05, 0.2]) HW_GRID.push({ alpha, beta, gamma, phi: 0.95 });

interface HwState {
  level: number;
  trend: number;
  season: Float64Array;
}

function hwInit(y: Float64Array): HwState {
  // Two weeks: level from the first, trend from their difference, season from both.
  let w1 = 0;
  let w2 = 0;
  for (let i = 0; i < SEASON; i++) {
    w1 += y[i] as number;
    w2 += y[i + SEASON] as number;
  }
  w1 /= SEASON;
  w2 /= SEASON;
  const season = new Float64Array(SEASON);
  const mid = (w1 + w2) / 2;
  for (let i = 0; i < SEASON; i++) season[i] = ((y[i] as number) + (y[i + SEASON] as number)) / 2 - mid;
  return { level: w1, trend: (w2 - w1) / SEASON, season };
}

/**
 * Runs the filter over y[0, to), calling `at(t, state)` before day t is absorbed for every t in
 * `origins`; answers the one-step squared error summed from day 2·SEASON on.
 */
function hwRun(
  y: Float64Array,
  to: number,
  p: HwParams,
  state: HwState,
  origins?: readonly number[],
  at?: (t: number, s: HwState) => void,
): number {
  let { level, trend } = state;
  const season = state.season;
  let sse = 0;
  let next = 0;
  for (let t = 0; t < to; t++) {
    if (origins && next < origins.length && origins[next] === t) {
      state.level = level;
      state.trend = trend;
      at?.(t, state);
      next++;
    }
    const si = t % SEASON;
    const s = season[si] as number;
    const v = y[t] as number;
    const fit = level + p.phi * trend + s;
    if (t >= 2 * SEASON) sse += (v - fit) * (v - fit);
    const prev = level;
    level = p.alpha * (v - s) + (1 - p.alpha) * (level + p.phi * trend);
    trend = p.beta * (level - prev) + (1 - p.beta) * p.phi * trend;
    season[si] = p.gamma * (v - level) + (1 - p.gamma) * s;
  }
  state.level = level;
  state.trend = trend;
  if (origins && next < origins.length && origins[next] === to) at?.(to, state);
  return sse;
}

function hwForecast(s: HwState, p: HwParams, origin: number, out: Float64Array, offset = 0, h = out.length) {
  let damp = 0;
  let pow = 1;
  for (let i = 0; i < h; i++) {
    pow *= p.phi;
    damp += pow;
    const f = s.level + damp * s.trend + (s.season[(origin + i) % SEASON] as number);
    out[offset + i] = f > 0 ? f : 0;
  }
}

function hwFit(y: Float64Array, to: number): HwParams {
  let best = HW_GRID[0] as HwParams;
  let bestSse = Number.POSITIVE_INFINITY;
  for (const p of HW_GRID) {
    const sse = hwRun(y, to, p, hwInit(y));
    if (sse < bestSse) {
      bestSse = sse;
      best = p;
    }
  }
  return best;
}

// ---------------------------------------------------------------- Croston / SBA

const SBA_ALPHAS = [0.05, 0.1, 0.2, 0.3];

interface SbaState {
  size: number;
  interval: number;
  since: number;
  seen: boolean;
}

/** Runs SBA over y[0, to), snapshotting the flat forecast at each origin; answers the one-step SSE. */
function sbaRun(
  y: Float64Array,
  to: number,
  alpha: number,
  origins?: readonly number[],
  at?: (t: number, forecast: number) => void,
): { sse: number; forecast: number } {
  const s: SbaState = { size: 0, interval: 1, since: 0, seen: false };
  const factor = 1 - alpha / 2;
  let sse = 0;
  let next = 0;
  let f = 0;
  for (let t = 0; t < to; t++) {
    f = s.seen ? (factor * s.size) / s.interval : 0;
    if (origins && next < origins.length && origins[next] === t) {
      at?.(t, f);
      next++;
    }
    const v = y[t] as number;
    if (s.seen) sse += (v - f) * (v - f);
    s.since++;
    if (v > 0) {
      if (!s.seen) {
        // The first demand starts the estimates: its size, and the days it took to come.
        s.size = v;
        s.interval = s.since;
        s.seen = true;
      } else {
        s.size = alpha * v + (1 - alpha) * s.size;
        s.interval = alpha * s.since + (1 - alpha) * s.interval;
      }
      s.since = 0;
    }
  }
  f = s.seen ? (factor * s.size) / s.interval : 0;
  if (origins && next < origins.length && origins[next] === to) at?.(to, f);
  return { sse, forecast: f };
}

function sbaFit(y: Float64Array, to: number): number {
  let best = SBA_ALPHAS[0] as number;
  let bestSse = Number.POSITIVE_INFINITY;
  for (const a of SBA_ALPHAS) {
    const { sse } = sbaRun(y, to, a);
    if (sse < bestSse) {
      bestSse = sse;
      best = a;
    }
  }
  return best;
}

// ---------------------------------------------------------------- baselines

function seasonalNaive(y: Float64Array, origin: number, out: Float64Array, offset = 0, h = out.length) {
  if (origin < SEASON) return meanForecast(y, origin, out, offset, h);
  for (let i = 0; i < h; i++) out[offset + i] = y[origin - SEASON + (i % SEASON)] as number;
}

function meanForecast(y: Float64Array, origin: number, out: Float64Array, offset = 0, h = out.length) {
  let sum = 0;
  for (let t = 0; t < origin; t++) sum += y[t] as number;
  const m = origin ? sum / origin : 0;
  out.fill(m, offset, offset + h);
}

// ---------------------------------------------------------------- backtest

/** Error sums of one method over the backtest windows of one series. */
export interface ErrorSums {
  /** Σ|f − y| */
  absError: number;
  /** Σ(f − y): positive when the forecast runs high. */
  error: number;
  /** Σ(f − y)² */
  squaredError: number;
  /** Σy */
  actual: number;
  /** Scored days. */
  points: number;
}

export interface Metrics {
  wape: number | null;
  bias: number | null;
  mase: number | null;
}

const emptySums = (): ErrorSums => ({ absError: 0, error: 0, squaredError: 0, actual: 0, points: 0 });

export function addSums(into: ErrorSums, from: ErrorSums): void {
  into.absError += from.absError;
  into.error += from.error;
  into.squaredError += from.squaredError;
  into.actual += from.actual;
  into.points += from.points;
}

/** WAPE Σ|e|/Σy, bias Σe/Σy, MASE mean|e| / `scale` (the in-sample seasonal-naive MAE). */
export function metricsOf(s: ErrorSums, scale: number | null): Metrics {
  const rel = (x: number) => (s.actual > 0 ? x / s.actual : null);
  return {
    wape: rel(s.absError),
    bias: rel(s.error),
    mase: scale && scale > 0 && s.points > 0 ? s.absError / s.points / scale : null,
  };
}

function score(
  sums: ErrorSums,
  f: Float64Array,
  y: Float64Array,
  origin: number,
  excluded: Uint8Array | undefined,
) {
  for (let i = 0; i < f.length; i++) {
    const t = origin + i;
    if (excluded?.[t]) continue;
    const e = (f[i] as number) - (y[t] as number);
    sums.absError += e < 0 ? -e : e;
    sums.error += e;
    sums.squaredError += e * e;
    sums.actual += y[t] as number;
    sums.points++;
  }
}

/** The in-sample MAE of the seasonal-naive one-step forecast over y[SEASON, to): MASE's scale. */
function naiveScale(y: Float64Array, to: number): number | null {
  let sum = 0;
  let n = 0;
  for (let t = SEASON; t < to; t++) {
    const d = (y[t] as number) - (y[t - SEASON] as number);
    sum += d < 0 ? -d : d;
    n++;
  }
  return n ? sum / n : null;
}

export interface SeriesForecast {
  method: ForecastMethod;
  /** The candidate the demand pattern chose, before the backtest had its say. */
  candidate: ForecastMethod;
  classification: Classification;
  /** Daily forecast from the day after the history, `horizon` days. */
  daily: Float64Array;
  /** Backtest sums of the method used, and of seasonal naive on the same windows (none when too short). */
  backtest: { method: ErrorSums; baseline: ErrorSums; scale: number | null } | null;
  /** Standard deviation of the daily forecast error (backtest RMSE; the history's deviation without one). */
  sigma: number;
}

/**
 * Forecasts one series `horizon` days past its end. With enough history (three weeks before
 * the first of up to four weekly origins), the candidate method is fitted on the data before
 * the first origin, run through every origin, and scored beside seasonal naive on the same
 * weeks; it is used only when its squared error is lower, else seasonal naive is.
 */
export function forecastSeries(y: Float64Array, horizon: number, excluded?: Uint8Array): SeriesForecast {
  const n = y.length;
  const clean = cleanSeries(y, excluded);
  const classification = classifyDemand(clean);
  const daily = new Float64Array(horizon);
  const sparse = classification.adi >= ADI_CUTOFF;
  const weeks = Math.min(BACKTEST_WEEKS, Math.floor((n - MIN_TRAINING) / SEASON));
  const canHw = n >= 2 * SEASON;
  const candidate: ForecastMethod = sparse
    ? 'sba'
    : canHw
      ? 'holt-winters'
      : n >= SEASON
        ? 'seasonal-naive'
        : 'mean';

  if (weeks < 1 || candidate === 'seasonal-naive' || candidate === 'mean') {
    const method: ForecastMethod = n >= SEASON ? 'seasonal-naive' : 'mean';
    if (method === 'seasonal-naive') seasonalNaive(clean, n, daily);
    else meanForecast(clean, n, daily);
    return { method, candidate, classification, daily, backtest: null, sigma: deviation(clean) };
  }

  const origins: number[] = [];
  for (let w = weeks; w >= 1; w--) origins.push(n - w * SEASON);
  const first = origins[0] as number;
  const window = new Float64Array(SEASON);
  const methodSums = emptySums();
  const baselineSums = emptySums();
  for (const o of origins) {
    seasonalNaive(clean, o, window);
    score(baselineSums, window, y, o, excluded);
  }

  if (candidate === 'holt-winters') {
    const p = hwFit(clean, first);
    const state = hwInit(clean);
    hwRun(clean, n, p, state, [...origins, n], (t, s) => {
      if (t === n) return;
      hwForecast(s, p, t, window);
      score(methodSums, window, y, t, excluded);
    });
    hwForecast(state, p, n, daily);
  } else {
    const alpha = sbaFit(clean, first);
    const { forecast } = sbaRun(clean, n, alpha, origins, (t, f) => {
      window.fill(f);
      score(methodSums, window, y, t, excluded);
    });
    daily.fill(forecast);
  }

  const backtest = { method: methodSums, baseline: baselineSums, scale: naiveScale(clean, first) };
  // "Beats" is judged on squared error: on sparse demand, absolute error rewards forecasting zero
  // (the median), which would starve every intermittent SKU of stock; squared error rewards
  // the unbiased mean. WAPE, bias and MASE are still what the backtest reports.
  if (methodSums.squaredError < baselineSums.squaredError) {
    const sigma = methodSums.points ? Math.sqrt(methodSums.squaredError / methodSums.points) : 0;
    return { method: candidate, candidate, classification, daily, backtest, sigma };
  }
  // The candidate did not beat the baseline here: seasonal naive it is, scored as itself.
  seasonalNaive(clean, n, daily);
  const sigma = baselineSums.points ? Math.sqrt(baselineSums.squaredError / baselineSums.points) : 0;
  return {
    method: 'seasonal-naive',
    candidate,
    classification,
    daily,
    backtest: { method: baselineSums, baseline: baselineSums, scale: backtest.scale },
    sigma,
  };
}

function deviation(y: Float64Array): number {
  const n = y.length;
  if (n < 2) return 0;
  let sum = 0;
  for (let t = 0; t < n; t++) sum += y[t] as number;
  const m = sum / n;
  let ss = 0;
  for (let t = 0; t < n; t++) ss += ((y[t] as number) - m) ** 2;
  return Math.sqrt(ss / (n - 1));
}

/** Seasonal naive `horizon` days past the end of y: the last week repeated (what the forecast must beat). */
export function seasonalNaiveForecast(y: Float64Array, horizon: number): Float64Array {
  const out = new Float64Array(horizon);
  seasonalNaive(y, y.length, out);
  return out;
}
