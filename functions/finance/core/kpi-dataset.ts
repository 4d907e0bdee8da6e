import type { Column, Row } from './export-files.ts';

/**
 * `kpis_daily`: oversight's KPIs, one row per day × location × KPI (and per channel for
 * `gross_margin`). Numerator and denominator, not the ratio, so Athena sums them over days or
 * locations and divides once; `unit` says what their quotient is (`ratio`, `seconds`, `count`).
 */
export const KPI_DAILY_COLUMNS: readonly Column[] = [
  { name: 'date', kind: 'string' },
  { name: 'location_id', kind: 'string' },
  { name: 'kpi', kind: 'string' },
  { name: 'channel_id', kind: 'string', nullable: true },
  { name: 'unit', kind: 'string' },
  { name: 'numerator', kind: 'int64' },
  { name: 'denominator', kind: 'int64', nullable: true },
];

/** A KPI row as oversight hands it over (see `kpiExportRows` in oversight's api). */
export interface KpiDailyRow {
  date: string;
  locationId: string;
  kpi: string;
  channelId: string | null;
  unit: string;
  numerator: number;
  denominator: number | null;
}

export async function* kpiDailyRows(rows: Promise<readonly KpiDailyRow[]>): AsyncIterable<Row> {
  for (const r of await rows) {
    yield {
      date: r.date,
      location_id: r.locationId,
      kpi: r.kpi,
      channel_id: r.channelId,
      unit: r.unit,
      numerator: r.numerator,
      denominator: r.denominator,
    };
  }
}
