import type { z } from 'zod';
import { skuCode } from '#catalog/api';
import { MAX_QUANTITY } from '#shared/bounds';
import { type CsvRowIssue, readCsvRecords } from '#shared/csv';
import { type AsnBody, asnBody, entityId, MAX_CSV_ASNS, MAX_CSV_ROWS } from '../schemas/inbound.ts';
import type { AsnFinding } from './asns.ts';

/** The columns of an ASN upload, in any order; no others. */
export const ASN_CSV_COLUMNS = ['asnId', 'poId', 'cartonId', 'sku', 'quantity'] as const;
type Column = (typeof ASN_CSV_COLUMNS)[number];

/** One ASN of a CSV, with the file's line numbers of its rows (for naming bad rows later). */
export interface CsvAsn {
  body: AsnBody;
  rows: number[];
  rowsOfSku: Map<string, number[]>;
}

interface Row {
  line: number;
  asnId: string;
  poId: string;
  cartonId: string;
  sku: string;
  quantity: number;
}

const cellChecks: Record<Exclude<Column, 'quantity'>, z.ZodType<string>> = {
  asnId: entityId,
  poId: entityId,
  cartonId: entityId,
  sku: skuCode,
};

/**
 * Parses an ASN upload (`asnId,poId,cartonId,sku,quantity`; an empty cartonId is a loose line)
 * into ASNs grouped by asnId, in the file's order. Every bad row is reported (line number and
 * field) and then no ASN is answered: a file is taken whole or not at all.
 */
export function parseAsnCsv(text: string): { asns: CsvAsn[]; issues: CsvRowIssue[] } {
  const read = readCsvRecords(text);
  if ('issue' in read) return { asns: [], issues: [read.issue] };
  const { records } = read;
  const [header, ...data] = records;
  const columns = header?.record ?? [];
  const missing = ASN_CSV_COLUMNS.filter((c) => !columns.includes(c));
  const extra = columns.filter((c) => !(ASN_CSV_COLUMNS as readonly string[]).includes(c));
  if (!header || missing.length || extra.length || new Set(columns).size !== columns.length) {
    const message = `the header must name the columns ${ASN_CSV_COLUMNS.join(',')}${missing.length ? `; missing ${missing.join(', ')}` : ''}${extra.length ? `; unknown ${extra.join(', ')}` : ''}`;
    return { asns: [], issues: [{ row: 1, field: '(header)', message }] };
  }
  if (data.length === 0)
    return { asns: [], issues: [{ row: 1, field: '(file)', message: 'no rows after the header' }] };
  if (data.length > MAX_CSV_ROWS) {
    return {
      asns: [],
      issues: [{ row: 1, field: '(file)', message: `at most ${MAX_CSV_ROWS} rows per file` }],
    };
  }

  const issues: CsvRowIssue[] = [];
  const rows: Row[] = [];
  for (const { record, info } of data) {
    const line = info.lines;
    if (record.length !== columns.length) {
      issues.push({
        row: line,
        field: '(row)',
        message: `${record.length} cells, the header has ${columns.length}`,
      });
      continue;
    }
    const cell = (c: Column) => record[columns.indexOf(c)] ?? '';
    let ok = true;
    for (const c of ['asnId', 'poId', 'cartonId', 'sku'] as const) {
      if (c === 'cartonId' && cell(c) === '') continue;
      const result = cellChecks[c].safeParse(cell(c));
      if (!result.success) {
        ok = false;
        issues.push({
          row: line,
          field: c,
          message: cell(c) === '' ? 'required' : (result.error.issues[0]?.message ?? 'invalid'),
        });
      }
    }
    const quantity = /^\d+$/.test(cell('quantity')) ? Number(cell('quantity')) : Number.NaN;
    if (!(quantity >= 1 && quantity <= MAX_QUANTITY)) {
      ok = false;
      issues.push({ row: line, field: 'quantity', message: `a whole number from 1 to ${MAX_QUANTITY}` });
    }
    if (ok)
      rows.push({
        line,
        asnId: cell('asnId'),
        poId: cell('poId'),
        cartonId: cell('cartonId'),
        sku: cell('sku'),
        quantity,
      });
  }

  const groups = new Map<string, Row[]>();
  for (const row of rows) groups.set(row.asnId, [...(groups.get(row.asnId) ?? []), row]);
  if (groups.size > MAX_CSV_ASNS)
    issues.push({ row: 1, field: '(file)', message: `at most ${MAX_CSV_ASNS} ASNs per file` });

  const asns: CsvAsn[] = [];
  for (const [asnId, group] of groups) {
    const first = group[0] as Row;
    const seen = new Map<string, number>();
    const cartons = new Map<string, { sku: string; quantity: number }[]>();
    const loose: { sku: string; quantity: number }[] = [];
    const rowsOfSku = new Map<string, number[]>();
    for (const row of group) {
      if (row.poId !== first.poId) {
        issues.push({
          row: row.line,
          field: 'poId',
          message: `ASN ${asnId} is for PO ${first.poId} (row ${first.line})`,
        });
        continue;
      }
      const key = `${row.cartonId}\n${row.sku}`;
      const earlier = seen.get(key);
      if (earlier !== undefined) {
        issues.push({
          row: row.line,
          field: 'sku',
          message: `listed twice for this carton (row ${earlier})`,
        });
        continue;
      }
      seen.set(key, row.line);
      rowsOfSku.set(row.sku, [...(rowsOfSku.get(row.sku) ?? []), row.line]);
      const line = { sku: row.sku, quantity: row.quantity };
      if (row.cartonId) cartons.set(row.cartonId, [...(cartons.get(row.cartonId) ?? []), line]);
      else loose.push(line);
    }
    const candidate = {
      asnId,
      poId: first.poId,
      ...(cartons.size ? { cartons: [...cartons].map(([cartonId, lines]) => ({ cartonId, lines })) } : {}),
      ...(loose.length ? { lines: loose } : {}),
    };
    const parsed = asnBody.safeParse(candidate);
    const lines = group.map((r) => r.line);
    if (!parsed.success) {
      // Limits of one ASN (cartons, SKUs per carton): named on the ASN's first row.
      for (const issue of parsed.error.issues) {
        issues.push({
          row: first.line,
          field: 'asnId',
          message: `ASN ${asnId}: ${issue.path.join('.')} ${issue.message}`,
        });
      }
      continue;
    }
    asns.push({ body: parsed.data, rows: lines, rowsOfSku });
  }
  // A file is taken whole: with any bad row, no ASN of it goes on to be checked or written.
  return issues.length ? { asns: [], issues: issues.sort((a, b) => a.row - b.row) } : { asns, issues };
}

/** Findings against the table, named on the rows that caused them. */
export function rowIssuesOf(findings: readonly AsnFinding[], asns: readonly CsvAsn[]): CsvRowIssue[] {
  const byId = new Map(asns.map((a) => [a.body.asnId, a]));
  const issues: CsvRowIssue[] = [];
  for (const f of findings) {
    const asn = byId.get(f.asnId);
    if (!asn) continue;
    if (f.kind === 'DOES_NOT_FIT') {
      for (const i of f.issues) {
        for (const row of asn.rowsOfSku.get(i.sku) ?? asn.rows) {
          issues.push({ row, field: i.code === 'NOT_ON_PO' ? 'sku' : 'quantity', message: i.message });
        }
      }
    } else {
      const field = f.kind === 'ID_REUSED' ? 'asnId' : 'poId';
      for (const row of asn.rows) issues.push({ row, field, message: f.message });
    }
  }
  return issues.sort((a, b) => a.row - b.row);
}
