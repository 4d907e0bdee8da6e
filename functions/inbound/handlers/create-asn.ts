import { created, httpHandler, ok, requirePrincipal } from '#shared/http';
import { inboundPorts } from '../adapters/wiring.ts';
import { findingError, planAsns, toAsn, writeAsns } from '../core/asns.ts';
import { asnBody } from '../schemas/inbound.ts';
import { asnView } from '../views/inbound-views.ts';

const ports = inboundPorts();

/**
 * POST /api/asns: an advance shipping notice against a PO. 201 new; 200 the same ASN again;
 * 409 ASN_CONFLICT (same id, other contents), ASN_DOES_NOT_FIT_PO, PO_NOT_RECEIVABLE.
 */
export const handler = httpHandler({ body: asnBody }, async ({ body, principal }) => {
  const asn = toAsn(body, ports.clock().toISOString(), requirePrincipal(principal).username);
  const plan = await planAsns(ports, [asn]);
  const finding = plan.findings[0];
  if (finding) throw findingError(finding, asn);
  const out = await writeAsns(ports, plan, (f) => findingError(f, asn));
  const written = out.created[0];
  return written ? created(asnView(written)) : ok(asnView(out.existing[0] ?? asn));
});
