import { httpHandler, ok } from '#shared/http';
import { kpiStore } from '../adapters/wiring.ts';
import { kpiReport } from '../core/kpis.ts';
import { kpiQuery } from '../schemas/oversight.ts';

/** GET /api/kpis?from=&to=&locationId=: a daily series per KPI (all locations summed without locationId). */
export const getKpis = httpHandler({ query: kpiQuery }, async ({ query }) => {
  const store = kpiStore();
  const items = query.locationId
    ? await store.daysAt(query.locationId, query.from, query.to)
    : await store.daysAll(query.from, query.to);
  return ok(kpiReport(query.from, query.to, query.locationId ?? null, items));
});
