import { catalogReader } from '#catalog/api';
import { locationOf } from '#inventory/api';
import { recordAuditFirst } from '#shared/audit';
import { DomainError } from '#shared/errors';
import { httpHandler, ok } from '#shared/http';
import { dynamoPlanningStore } from '../adapters/planning-store.ts';
import { parseDemandCsv, unknownIssues } from '../core/demand-csv.ts';
import { CsvRejected } from '../errors.ts';

const store = dynamoPlanningStore();
const catalog = catalogReader();

/**
 * POST /api/planning/demand-history (text/csv `date,sku,locationId,quantity`) → `{ rows }`.
 * Every row is checked (format, then the SKU and location exist) before anything is written;
 * any bad row refuses the file (400 CSV_REJECTED naming each). A day is set, never added, so a
 * re-upload of the same days replaces them.
 */
export const uploadDemandHistory = httpHandler({}, async ({ event }) => {
  const type = event.headers?.['content-type'] ?? '';
  if (!/^text\/csv\b/i.test(type)) {
    throw new DomainError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the demand history as text/csv', {
      contentType: type,
    });
  }
  const raw = event.body ?? '';
  const text = event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
  const today = new Date().toISOString().slice(0, 10);
  const parsed = parseDemandCsv(text, today);
  if (parsed.issues.length) throw new CsvRejected(parsed.issues);
  const skus = [...new Set(parsed.rows.map((r) => r.sku))];
  const locations = [...new Set(parsed.rows.map((r) => r.locationId))];
  const [found, known] = await Promise.all([
    catalog.getMany(skus),
    Promise.all(locations.map(async (l) => ((await locationOf(l)) ? l : undefined))),
  ]);
  const issues = unknownIssues(
    parsed.rows,
    new Set(found.keys()),
    new Set(known.filter((l): l is string => l !== undefined)),
  );
  if (issues.length) throw new CsvRejected(issues);
  // Many items, so no single transaction: the audit record first, then each day set (not
  // added). A failure part-way is healed by sending the same file again.
  await recordAuditFirst();
  await store.importDays(parsed.rows);
  const dates = parsed.rows.map((r) => r.date).sort();
  return ok({
    rows: parsed.rows.length,
    series: new Set(parsed.rows.map((r) => `${r.sku}#${r.locationId}`)).size,
    from: dates[0],
    to: dates[dates.length - 1],
  });
});
