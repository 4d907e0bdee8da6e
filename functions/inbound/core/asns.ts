import { Conflict } from '#shared/errors';
import { AsnDoesNotFit, type AsnIssue, IdReused, PoNotReceivable, UnknownReference } from '../errors.ts';
import { type Asn, type AsnBody, type AsnLine, type PoLine, RECEIVABLE } from '../schemas/inbound.ts';
import { fingerprintOf } from './fingerprint.ts';
import type { AdviseLine, InboundPorts } from './ports.ts';

const bySku = (a: AsnLine, b: AsnLine) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0);

/** The ASN as stored: lists in a canonical order, units per SKU, and what defines it. */
export function toAsn(body: AsnBody, createdAt: string, createdBy: string): Asn {
  const cartons = (body.cartons ?? [])
    .map((c) => ({ cartonId: c.cartonId, lines: [...c.lines].sort(bySku) }))
    .sort((a, b) => (a.cartonId < b.cartonId ? -1 : 1));
  const lines = [...(body.lines ?? [])].sort(bySku);
  const totals = new Map<string, number>();
  for (const l of [...cartons.flatMap((c) => c.lines), ...lines]) {
    totals.set(l.sku, (totals.get(l.sku) ?? 0) + l.quantity);
  }
  return {
    asnId: body.asnId,
    poId: body.poId,
    cartons,
    lines,
    totals: [...totals].map(([sku, quantity]) => ({ sku, quantity })).sort(bySku),
    fingerprint: fingerprintOf({ poId: body.poId, cartons, lines }),
    createdAt,
    createdBy,
  };
}

/**
 * The ASN rule: every SKU must be a line of the PO, and all ASNs of a PO together may announce at
 * most the ordered quantity of each line (`quantity − advised` is what the line still expects
 * from ASNs). `pending` holds units that ASNs earlier in the same request claim on top.
 */
export function fitAsn(asn: Asn, lines: readonly PoLine[], pending = new Map<string, number>()): AsnIssue[] {
  const issues: AsnIssue[] = [];
  for (const t of asn.totals) {
    const line = lines.find((l) => l.sku === t.sku);
    if (!line) {
      issues.push({
        code: 'NOT_ON_PO',
        sku: t.sku,
        quantity: t.quantity,
        message: `${t.sku} is not on PO ${asn.poId}`,
      });
      continue;
    }
    const remaining = line.quantity - line.advised - (pending.get(t.sku) ?? 0);
    if (t.quantity > remaining) {
      issues.push({
        code: 'EXCEEDS_PO',
        sku: t.sku,
        quantity: t.quantity,
        remaining,
        message: `${t.quantity} of ${t.sku} announced, PO ${asn.poId} expects ${remaining} more`,
      });
    }
  }
  return issues;
}

/** Why an ASN cannot be written, before anything is. */
export type AsnFinding =
  | { asnId: string; kind: 'ID_REUSED' | 'UNKNOWN_PO'; message: string }
  | { asnId: string; kind: 'PO_NOT_RECEIVABLE'; message: string; status: string }
  | { asnId: string; kind: 'DOES_NOT_FIT'; issues: AsnIssue[] };

export interface AsnPlan {
  /** ASNs to write, each with its claims on PO lines. */
  writes: { asn: Asn; advise: AdviseLine[] }[];
  /** ASNs already stored with the same contents: answered as they are. */
  existing: Asn[];
  findings: AsnFinding[];
}

/** Checks ASNs (in order) against the table without writing anything. */
export async function planAsns(ports: InboundPorts, asns: readonly Asn[]): Promise<AsnPlan> {
  const plan: AsnPlan = { writes: [], existing: [], findings: [] };
  const pos = new Map<string, Awaited<ReturnType<InboundPorts['store']['purchaseOrder']>>>();
  const pendingOf = new Map<string, Map<string, number>>();
  const stored = await Promise.all(asns.map((a) => ports.store.getAsn(a.asnId)));
  for (const [i, asn] of asns.entries()) {
    const before = stored[i];
    if (before) {
      if (before.fingerprint === asn.fingerprint) plan.existing.push(before);
      else
        plan.findings.push({
          asnId: asn.asnId,
          kind: 'ID_REUSED',
          message: `ASN ${asn.asnId} exists with different contents`,
        });
      continue;
    }
    if (!pos.has(asn.poId)) pos.set(asn.poId, await ports.store.purchaseOrder(asn.poId));
    const found = pos.get(asn.poId);
    if (!found) {
      plan.findings.push({ asnId: asn.asnId, kind: 'UNKNOWN_PO', message: `PO ${asn.poId} does not exist` });
      continue;
    }
    if (!RECEIVABLE.includes(found.po.status)) {
      plan.findings.push({
        asnId: asn.asnId,
        kind: 'PO_NOT_RECEIVABLE',
        message: `PO ${asn.poId} is ${found.po.status}`,
        status: found.po.status,
      });
      continue;
    }
    const pending = pendingOf.get(asn.poId) ?? new Map<string, number>();
    pendingOf.set(asn.poId, pending);
    const issues = fitAsn(asn, found.lines, pending);
    if (issues.length) {
      plan.findings.push({ asnId: asn.asnId, kind: 'DOES_NOT_FIT', issues });
      continue;
    }
    const advise = asn.totals.map((t) => {
      const line = found.lines.find((l) => l.sku === t.sku) as PoLine;
      pending.set(t.sku, (pending.get(t.sku) ?? 0) + t.quantity);
      // The write's own condition: advised before ≤ quantity − this ASN's units.
      return { sku: t.sku, quantity: t.quantity, max: line.quantity - t.quantity };
    });
    plan.writes.push({ asn, advise });
  }
  return plan;
}

/** A finding of a single ASN as the error the JSON route answers. */
export function findingError(f: AsnFinding, asn: Asn): Error {
  switch (f.kind) {
    case 'ID_REUSED':
      return new IdReused('ASN', f.asnId);
    case 'UNKNOWN_PO':
      return new UnknownReference('UNKNOWN_PO', f.message, { poId: asn.poId });
    case 'PO_NOT_RECEIVABLE':
      return new PoNotReceivable(asn.poId, f.status);
    case 'DOES_NOT_FIT':
      return new AsnDoesNotFit(f.asnId, f.issues);
  }
}

/**
 * Writes planned ASNs one transaction each. A write refused by its conditions lost a race (a
 * concurrent ASN or cancel): the ASN is planned again alone and either turns out written (the same
 * ASN from a concurrent call) or is refused with what it found; ASNs written before it stay
 * written, so repeating the whole request is safe (idempotent by asnId).
 */
export async function writeAsns(
  ports: InboundPorts,
  plan: AsnPlan,
  refuse: (finding: AsnFinding, asn: Asn, written: readonly string[]) => Error,
): Promise<{ created: Asn[]; existing: Asn[] }> {
  const created: Asn[] = [];
  const existing = [...plan.existing];
  for (const { asn, advise } of plan.writes) {
    if (await ports.store.putAsn(asn, advise)) {
      created.push(asn);
      continue;
    }
    const again = await planAsns(ports, [asn]);
    const finding = again.findings[0];
    const now = again.existing[0];
    if (now) existing.push(now);
    else if (finding)
      throw refuse(
        finding,
        asn,
        created.map((a) => a.asnId),
      );
    else throw new Conflict('CONCURRENT_CHANGE', `PO ${asn.poId} changed meanwhile; repeat the request`);
  }
  return { created, existing };
}
