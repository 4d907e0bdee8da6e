import { Conflict, DomainError } from '#shared/errors';
import { created, httpHandler, ok, requirePrincipal } from '#shared/http';
import { inboundPorts } from '../adapters/wiring.ts';
import { parseAsnCsv, rowIssuesOf } from '../core/asn-csv.ts';
import { planAsns, toAsn, writeAsns } from '../core/asns.ts';
import { CsvRejected } from '../errors.ts';
import { asnView } from '../views/inbound-views.ts';

const ports = inboundPorts();

/**
 * POST /api/asns/csv (text/csv): one or more ASNs. Every row is checked — format first, then
 * against the POs — before anything is written; any bad row refuses the file (400 CSV_REJECTED
 * naming each row and field). A good file's ASNs are written one transaction each; a repeat of
 * the file answers the ASNs already written (idempotent by asnId).
 */
export const handler = httpHandler({}, async ({ event, principal }) => {
  const type = event.headers?.['content-type'] ?? '';
  if (!/^text\/csv\b/i.test(type)) {
    throw new DomainError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the ASNs as text/csv', { contentType: type });
  }
  const raw = event.body ?? '';
  const text = event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
  const parsed = parseAsnCsv(text);
  if (parsed.issues.length) throw new CsvRejected(parsed.issues);
  const at = ports.clock().toISOString();
  const by = requirePrincipal(principal).username;
  const asns = parsed.asns.map((a) => toAsn(a.body, at, by));
  const plan = await planAsns(ports, asns);
  if (plan.findings.length) throw new CsvRejected(rowIssuesOf(plan.findings, parsed.asns));
  const out = await writeAsns(
    ports,
    plan,
    (finding, asn, written) =>
      new Conflict('CONCURRENT_CHANGE', `ASN ${asn.asnId} no longer fits: the PO changed meanwhile`, {
        written,
        finding,
      }),
  );
  const body = {
    items: [
      ...out.created.map((a) => ({ ...asnView(a), created: true })),
      ...out.existing.map((a) => ({ ...asnView(a), created: false })),
    ],
  };
  return out.created.length ? created(body) : ok(body);
});
