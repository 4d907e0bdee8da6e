import { skuCode } from '#catalog/api';
import { MAX_QUANTITY } from '#shared/bounds';
import { type CsvRowIssue, readCsvRecords } from '#shared/csv';
import { locationId as locationIdSchema } from '../schemas/planning.ts';

/** The columns of a demand-history upload, in this order. */
export const DEMAND_CSV_COLUMNS = ['date', 'sku', 'locationId', 'quantity'] as const;
/** Rows per upload: a year of 50 SKU × location series; larger histories go in several files. */
export const MAX_DEMAND_ROWS = 20_000;

export interface DemandRow {
  line: number;
  date: string;
  sku: string;
  locationId: string;
  quantity: number;
}

export type { CsvRowIssue } from '#shared/csv';

const isDate = (s: string) => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const t = Date.parse(`${s}T00:00:00Z`);
  return Number.isFinite(t) && new Date(t).toISOString().slice(0, 10) === s;
};

/**
 * Parses `date,sku,locationId,quantity`: every row is checked and every bad one named (file
 * line and field); a SKU × location × day listed twice is a bad row too (which would win?).
 */
export function parseDemandCsv(text: string, today: string): { rows: DemandRow[]; issues: CsvRowIssue[] } {
  const read = readCsvRecords(text);
  if ('issue' in read) return { rows: [], issues: [read.issue] };
  const { records } = read;
  const [header, ...data] = records;
  const columns = header?.record ?? [];
  if (columns.join(',') !== DEMAND_CSV_COLUMNS.join(',')) {
    return {
      rows: [],
      issues: [{ row: 1, field: '(header)', message: `the header must be ${DEMAND_CSV_COLUMNS.join(',')}` }],
    };
  }
  if (data.length === 0)
    return { rows: [], issues: [{ row: 1, field: '(file)', message: 'no rows after the header' }] };
  if (data.length > MAX_DEMAND_ROWS) {
    return {
      rows: [],
      issues: [{ row: 1, field: '(file)', message: `at most ${MAX_DEMAND_ROWS} rows per file` }],
    };
  }
  const issues: CsvRowIssue[] = [];
  const rows: DemandRow[] = [];
  const seen = new Map<string, number>();
  for (const { record, info } of data) {
    const line = info.lines;
    if (record.length !== 4) {
      issues.push({ row: line, field: '(row)', message: `${record.length} cells, the header has 4` });
      continue;
    }
    const [date, sku, loc, qty] = record as [string, string, string, string];
    let ok = true;
    const bad = (field: string, message: string) => {
      ok = false;
      issues.push({ row: line, field, message });
    };
    if (!isDate(date)) bad('date', 'a date as yyyy-mm-dd');
    else if (date > today) bad('date', 'a day in the future is no history');
    if (!skuCode.safeParse(sku).success) bad('sku', sku ? 'not a SKU code' : 'required');
    if (!locationIdSchema.safeParse(loc).success) bad('locationId', loc ? 'not a location id' : 'required');
    const quantity = /^-?\d+$/.test(qty) ? Number(qty) : Number.NaN;
    if (!Number.isInteger(quantity)) bad('quantity', 'a whole number');
    else if (quantity < 0) bad('quantity', 'must not be negative');
    else if (quantity > MAX_QUANTITY) bad('quantity', `at most ${MAX_QUANTITY}`);
    if (!ok) continue;
    const key = `${date}\n${sku}\n${loc}`;
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      issues.push({
        row: line,
        field: 'date',
        message: `this SKU, location and day are on row ${earlier} already`,
      });
      continue;
    }
    seen.set(key, line);
    rows.push({ line, date, sku, locationId: loc, quantity });
  }
  return issues.length ? { rows: [], issues } : { rows, issues };
}

/** Rows naming a SKU or location that does not exist, as issues. */
export function unknownIssues(
  rows: readonly DemandRow[],
  knownSkus: ReadonlySet<string>,
  knownLocations: ReadonlySet<string>,
): CsvRowIssue[] {
  const issues: CsvRowIssue[] = [];
  for (const r of rows) {
    if (!knownSkus.has(r.sku)) issues.push({ row: r.line, field: 'sku', message: `unknown SKU ${r.sku}` });
    if (!knownLocations.has(r.locationId))
      issues.push({ row: r.line, field: 'locationId', message: `unknown location ${r.locationId}` });
  }
  return issues;
}
