import { CsvError, parse } from 'csv-parse/sync';

/** A bad row of an uploaded CSV, as the 400 names it. */
export interface CsvRowIssue {
  /** Line number in the file (the header is line 1), as a spreadsheet shows it. */
  row: number;
  field: string;
  message: string;
}

/** One parsed record with the file line it ended on. */
export interface CsvRecord {
  record: string[];
  info: { lines: number };
}

/**
 * Reads an uploaded CSV into records (BOM, blank lines and padding tolerated; rows of any width,
 * so each upload's own checks name a short row), or the one issue that stopped the parser (an
 * unterminated quote), with its line.
 */
export function readCsvRecords(text: string): { records: CsvRecord[] } | { issue: CsvRowIssue } {
  try {
    const records = parse(text, {
      info: true,
      bom: true,
      trim: true,
      skip_empty_lines: true,
      relax_column_count: true,
    }) as unknown as CsvRecord[];
    return { records };
  } catch (error) {
    if (error instanceof CsvError) {
      return { issue: { row: Number(error.lines) || 1, field: '(row)', message: error.message } };
    }
    throw error;
  }
}
