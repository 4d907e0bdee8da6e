/**
 * The oversight context's front door: KPIs per day and location projected from the other
 * contexts' events, and exception alerts (events, an inbox, thresholds as settings). Finance
 * exports the KPIs with its datasets through `kpiExportRows`.
 */
import { kpiStore } from './adapters/wiring.ts';
import { type KpiExportRow, kpiRows } from './core/kpis.ts';

export type { Alert, AlertSettings } from './core/alerts.ts';
export type { KpiExportRow, KpiName, KpiReport } from './core/kpis.ts';
export { AlertCleared, AlertRaised, type AlertType } from './events/alerts.ts';

/** One row per location × KPI measured on `date` (finance's `kpis_daily` export). */
export async function kpiExportRows(date: string): Promise<KpiExportRow[]> {
  const rows = kpiRows(await kpiStore().daysAll(date, date));
  // A stable order, so the same day exports the same bytes.
  return rows.sort(
    (a, b) =>
      a.locationId.localeCompare(b.locationId) ||
      a.kpi.localeCompare(b.kpi) ||
      (a.channelId ?? '').localeCompare(b.channelId ?? ''),
  );
}
