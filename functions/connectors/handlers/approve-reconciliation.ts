import { created, httpHandler, ok, requirePrincipal } from '#shared/http';
import { threePLPorts } from '../adapters/threepl-wiring.ts';
import { approveReconciliation } from '../core/reconcile.ts';
import { approveReconciliationBody, reconciliationParams } from '../schemas/threepl.ts';

const ports = threePLPorts();

/**
 * POST /api/reconciliations/{id}/approve { note }: each difference posted as an adjustment at the
 * 3PL node with the reconciliation as the reason; 201 when approved now, 200 when it already was.
 */
export const handler = httpHandler(
  { params: reconciliationParams, body: approveReconciliationBody },
  async ({ params, body, principal, correlationId }) => {
    const actor = requirePrincipal(principal).username;
    const out = await approveReconciliation(ports, params.id, body.note, { actor, correlationId });
    return out.changed ? created(out.reconciliation) : ok(out.reconciliation);
  },
);
