import { allSuppliers } from '#inbound/api';
import { NotFound, ValidationFailed } from '#shared/errors';
import { httpHandler, ok } from '#shared/http';
import { dynamoPlanningStore } from '../adapters/planning-store.ts';
import { addDays } from '../core/replenishment.ts';
import { runView } from '../core/run.ts';
import { supplierPerformance } from '../core/suppliers.ts';
import {
  DEFAULT_SETTINGS,
  forecastParams,
  forecastQuery,
  HISTORY_DAYS,
  historyQuery,
  runParams,
  suggestionsQuery,
} from '../schemas/planning.ts';

const store = dynamoPlanningStore();

/** GET /api/planning/runs/{runId} → `{ status, backtest: { wape, bias, mase, baseline } , … }`. */
const getRun = httpHandler({ params: runParams }, async ({ params }) => {
  const run = await store.run(params.runId);
  if (!run) throw new NotFound('Planning run', params.runId);
  return ok(runView(run));
});

/** GET /api/planning/runs: the most recent runs, newest first, and which one is in force. */
const listRuns = httpHandler({}, async () => {
  const [runs, latest] = await Promise.all([store.recentRuns(20), store.latest()]);
  return ok({ latestRunId: latest?.runId ?? null, items: runs.map(runView) });
});

/**
 * GET /api/planning/forecasts/{sku}?locationId= → `{ method, daily, backtest: { wape, baselineWape } }`
 * from the latest finished run. Without locationId the SKU must be planned at one location only.
 */
const getForecast = httpHandler(
  { params: forecastParams, query: forecastQuery },
  async ({ params, query }) => {
    const latest = await store.latest();
    if (!latest) throw new NotFound('Forecast', params.sku);
    const found = await store.forecastsOf(latest.runId, params.sku);
    const pick = query.locationId ? found.filter((f) => f.locationId === query.locationId) : found;
    if (!query.locationId && pick.length > 1) {
      throw new ValidationFailed(`${params.sku} is planned at ${pick.length} locations; name one`, [
        { field: 'query.locationId', message: `one of ${pick.map((f) => f.locationId).join(', ')}` },
      ]);
    }
    const f = pick[0];
    if (!f)
      throw new NotFound('Forecast', query.locationId ? `${params.sku} at ${query.locationId}` : params.sku);
    return ok({
      sku: f.sku,
      locationId: f.locationId,
      runId: latest.runId,
      method: f.method,
      pattern: f.pattern,
      adi: f.adi,
      cv2: f.cv2,
      daily: f.daily,
      backtest: f.backtest,
    });
  },
);

/** GET /api/planning/suggestions?type=po|transfer → `{ items }` of the latest finished run. */
const listSuggestions = httpHandler({ query: suggestionsQuery }, async ({ query }) => {
  const latest = await store.latest();
  if (!latest) return ok({ runId: null, items: [] });
  const items = await store.suggestionsOf(latest.runId, query.type);
  return ok({
    runId: latest.runId,
    items: items.map((s) => ({
      type: s.type,
      sku: s.sku,
      locationId: s.locationId,
      quantity: s.quantity,
      ...(s.supplierId ? { supplierId: s.supplierId } : {}),
      ...(s.fromLocationId ? { fromLocationId: s.fromLocationId } : {}),
      inputs: s.inputs,
      stockoutDate: s.stockoutDate,
    })),
  });
});

/** GET /api/planning/suppliers: OTIF, lead time mean and deviation, fill rate, exceptions per supplier. */
const listSupplierPerformance = httpHandler({}, async () => {
  const [pos, suppliers] = await Promise.all([store.followedPos(), allSuppliers()]);
  const today = new Date().toISOString().slice(0, 10);
  const measured = new Map(supplierPerformance(pos, today).map((p) => [p.supplierId, p] as const));
  const empty = (supplierId: string) => ({
    supplierId,
    purchaseOrders: 0,
    judged: 0,
    otif: null,
    leadTimeMeanDays: null,
    leadTimeSdDays: null,
    fillRate: null,
    receivingExceptions: 0,
  });
  const ids = [...new Set([...suppliers.map((s) => s.supplierId), ...measured.keys()])].sort();
  const byId = new Map(suppliers.map((s) => [s.supplierId, s] as const));
  return ok({
    items: ids.map((id) => ({
      ...(measured.get(id) ?? empty(id)),
      name: byId.get(id)?.name ?? id,
      statedLeadTimeDays: byId.get(id)?.leadTimeDays ?? null,
    })),
  });
});

/**
 * GET /api/planning/demand-history?sku=&locationId=&from=&to= → `{ days: [{ date, quantity,
 * excluded }] }`: the recorded days (shipped, or imported) and which a marked event excludes.
 */
const getDemandHistory = httpHandler({ query: historyQuery }, async ({ query }) => {
  const to = query.to ?? new Date().toISOString().slice(0, 10);
  const from = query.from ?? addDays(to, -HISTORY_DAYS);
  const [days, marked] = await Promise.all([
    store.demand(query.sku, query.locationId, from, to),
    store.markedEvents(),
  ]);
  const covers = (date: string) =>
    marked.some(
      (e) =>
        e.from <= date &&
        date <= e.to &&
        (!e.skus?.length || e.skus.includes(query.sku)) &&
        (!e.locationIds?.length || e.locationIds.includes(query.locationId)),
    );
  return ok({
    sku: query.sku,
    locationId: query.locationId,
    days: days.map((d) => ({ ...d, excluded: covers(d.date) })),
  });
});

const getSettings = httpHandler({}, async () => ok((await store.settings()) ?? DEFAULT_SETTINGS));
const getEvents = httpHandler({}, async () => ok({ events: await store.markedEvents() }));

/** Planning's reads by route key. */
export const reads = {
  'GET /api/planning/runs': listRuns,
  'GET /api/planning/runs/{runId}': getRun,
  'GET /api/planning/forecasts/{sku}': getForecast,
  'GET /api/planning/suggestions': listSuggestions,
  'GET /api/planning/suppliers': listSupplierPerformance,
  'GET /api/planning/settings': getSettings,
  'GET /api/planning/events': getEvents,
  'GET /api/planning/demand-history': getDemandHistory,
};
