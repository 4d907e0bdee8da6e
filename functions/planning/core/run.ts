import { derivedEvent } from '#shared/events';
import { StockoutRiskChanged } from '../events/stockout-risk-changed.ts';
import { DEFAULT_SETTINGS, HISTORY_DAYS, type MarkedEvent } from '../schemas/planning.ts';
import { type PlanOutput, planRun, type SeriesInput, type SupplierTerms } from './plan.ts';
import type { PlanningPorts, PlanningRun } from './ports.ts';
import { addDays } from './replenishment.ts';
import { supplierPerformance } from './suppliers.ts';

const DAY_MS = 86_400_000;
const dayIndex = (from: string, date: string) => Math.round((Date.parse(date) - Date.parse(from)) / DAY_MS);

/** Runs `fn` over `items` with at most `limit` at once. */
async function pooled<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await fn(items[next++] as T);
    }),
  );
}

/** A day is excluded when a marked event covers it and lists the SKU and location (or lists none). */
function excludedMask(
  events: readonly MarkedEvent[],
  sku: string,
  locationId: string,
  start: string,
  n: number,
) {
  let mask: Uint8Array | undefined;
  for (const e of events) {
    if (e.skus?.length && !e.skus.includes(sku)) continue;
    if (e.locationIds?.length && !e.locationIds.includes(locationId)) continue;
    const a = Math.max(0, dayIndex(start, e.from));
    const b = Math.min(n - 1, dayIndex(start, e.to));
    for (let t = a; t <= b; t++) {
      mask ??= new Uint8Array(n);
      mask[t] = 1;
    }
  }
  return mask;
}

/**
 * Reads every series' history (the year before `asOf`, from its first recorded day), stock,
 * arrivals, suppliers and classes; plans; writes the forecasts and suggestions under the run and
 * only then makes it the latest; announces each series whose at-risk state changed.
 * Deterministic per run id: a redelivered request writes the same results and re-sends the
 * same event ids.
 */
export async function executeRun(ports: PlanningPorts, run: PlanningRun): Promise<PlanningRun> {
  const { store } = ports;
  await store.putRun({ ...run, status: 'running' });
  try {
    const end = addDays(run.asOf, -1);
    const start = addDays(run.asOf, -HISTORY_DAYS);
    const [settings, marked, keys, followed, skuSuppliers, backorders, risk, suppliers, abc] =
      await Promise.all([
        store.settings(),
        store.markedEvents(),
        store.seriesKeys(),
        store.followedPos(),
        store.skuSuppliers(),
        store.backorders(),
        store.riskStates(),
        ports.suppliers(),
        ports.abcClasses(),
      ]);
    const series: SeriesInput[] = [];
    await pooled(keys, 16, async ({ sku, locationId }) => {
      const days = await store.demand(sku, locationId, start, end);
      if (!days.length) return;
      const first = days[0]?.date as string;
      const n = dayIndex(first, end) + 1;
      const values = new Float64Array(n);
      for (const d of days) values[dayIndex(first, d.date)] = d.quantity;
      const excluded = excludedMask(marked, sku, locationId, first, n);
      series.push({ sku, locationId, values, ...(excluded ? { excluded } : {}) });
    });
    series.sort((a, b) => a.sku.localeCompare(b.sku) || a.locationId.localeCompare(b.locationId));

    const skus = [...new Set(series.map((s) => s.sku))];
    const [onHand, arrivals] = await Promise.all([ports.onHand(skus), ports.arrivals(skus)]);
    // A backorder names no location: its units count where the SKU sells most.
    const backorderAt = new Map<string, string>();
    const best = new Map<string, number>();
    for (const s of series) {
      let total = 0;
      for (let t = 0; t < s.values.length; t++) total += s.values[t] as number;
      if (total > (best.get(s.sku) ?? -1)) {
        best.set(s.sku, total);
        backorderAt.set(s.sku, s.locationId);
      }
    }
    const performance = new Map(
      supplierPerformance(followed, run.asOf).map((p) => [p.supplierId, p] as const),
    );
    const terms = (sku: string): SupplierTerms | undefined => {
      const supplierId = skuSuppliers.get(sku);
      const supplier = supplierId ? suppliers.get(supplierId) : undefined;
      if (!supplierId || !supplier) return undefined;
      const measured = performance.get(supplierId);
      return {
        supplierId,
        // Measured on received POs when there are any; the supplier's stated lead time otherwise.
        leadTimeDays: measured?.leadTimeMeanDays ?? supplier.leadTimeDays,
        leadTimeSd: measured?.leadTimeSdDays ?? 0,
        moq: supplier.moq,
        casePack: supplier.casePack,
      };
    };
    const out: PlanOutput = planRun({
      asOf: run.asOf,
      horizonDays: run.horizonDays,
      series,
      stock: (sku, locationId) => ({
        onHand: onHand.get(sku)?.get(locationId) ?? 0,
        backordered: backorderAt.get(sku) === locationId ? (backorders.get(sku) ?? 0) : 0,
        arrivals: arrivals.get(sku)?.get(locationId) ?? [],
      }),
      supplierOf: terms,
      abcOf: (sku) => abc.get(sku) ?? 'C',
      settings: settings ?? DEFAULT_SETTINGS,
    });

    await store.writeResults(run.runId, out.forecasts, out.suggestions);
    const finishedAt = ports.clock().toISOString();
    await store.setLatest(run.runId, finishedAt);

    const changed = out.positions.filter(
      (p) => (risk.get(`${p.sku}#${p.locationId}`)?.atRisk ?? false) !== p.atRisk,
    );
    if (changed.length) {
      await ports.events.publish(
        changed.map((p) =>
          derivedEvent(
            StockoutRiskChanged,
            {
              sku: p.sku,
              locationId: p.locationId,
              atRisk: p.atRisk,
              stockoutDate: p.stockoutDate,
              leadTimeDays: p.inputs.leadTimeDays,
            },
            `${run.runId}#${p.sku}#${p.locationId}`,
            finishedAt,
            run.runId,
          ),
        ),
      );
      // Stored after the announcement: a crash in between re-announces on redelivery (same ids).
      await store.putRiskStates(
        changed.map((p) => ({
          sku: p.sku,
          locationId: p.locationId,
          atRisk: p.atRisk,
          stockoutDate: p.stockoutDate,
        })),
      );
    }
    const done: PlanningRun = {
      ...run,
      status: 'succeeded',
      finishedAt,
      backtest: out.backtest,
      methods: out.methods,
      suggestions: {
        po: out.suggestions.filter((s) => s.type === 'po').length,
        transfer: out.suggestions.filter((s) => s.type === 'transfer').length,
      },
      riskChanges: changed.length,
    };
    await store.putRun(done);
    return done;
  } catch (error) {
    await store.putRun({
      ...run,
      status: 'failed',
      error: (error as Error).message,
      finishedAt: ports.clock().toISOString(),
    });
    throw error;
  }
}

/** The run as GET /api/planning/runs/{runId} answers it. */
export function runView(run: PlanningRun) {
  const none = { wape: null, bias: null, mase: null };
  const bt = run.backtest;
  return {
    runId: run.runId,
    status: run.status,
    asOf: run.asOf,
    horizonDays: run.horizonDays,
    requestedAt: run.requestedAt,
    requestedBy: run.requestedBy,
    ...(run.finishedAt ? { finishedAt: run.finishedAt } : {}),
    ...(run.error ? { error: run.error } : {}),
    backtest: bt
      ? { wape: bt.wape, bias: bt.bias, mase: bt.mase, baseline: bt.baseline, series: bt.series }
      : { ...none, baseline: none, series: 0 },
    methods: run.methods ?? {},
    suggestions: run.suggestions ?? { po: 0, transfer: 0 },
    riskChanges: run.riskChanges ?? 0,
  };
}
