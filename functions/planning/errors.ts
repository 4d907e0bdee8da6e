import { DomainError } from '#shared/errors';
import type { CsvRowIssue } from './core/demand-csv.ts';

/** 400: the demand CSV has bad rows; nothing was written. */
export class CsvRejected extends DomainError {
  constructor(issues: CsvRowIssue[]) {
    const rows = [...new Set(issues.map((i) => i.row))];
    super(400, 'CSV_REJECTED', `${rows.length} row(s) are invalid; nothing was written`, { issues });
  }
}
