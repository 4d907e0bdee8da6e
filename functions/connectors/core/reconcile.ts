import { createHash } from 'node:crypto';
import { DomainError } from '#shared/errors';
import { derivedEvent } from '#shared/events';
import { ReconciliationNotFound } from '../errors.ts';
import { InventoryMismatchDetected, ThreePLReconciliationApproved } from '../events/threepl.ts';
import type { Reconciliation, ReconciliationLine, ThreePLPorts } from './threepl-ports.ts';

const hash = (s: string, n: number) => createHash('sha256').update(s).digest('hex').slice(0, n);

/** One reconciliation per 3PL location and snapshot time: a redelivered snapshot finds its own. */
export const reconciliationIdOf = (locationId: string, asOf: string) =>
  `rec-${hash(`${locationId}\n${new Date(asOf).toISOString()}`, 20)}`;

/**
 * A 3PL's inventory snapshot compared with our positions at its node: every SKU we stock there
 * and every SKU it names. A SKU we stock that the snapshot leaves out counts as 0 at the 3PL.
 * Each difference becomes a line with its evidence (our buckets, the 3PL's onHand, the snapshot's
 * time and webhook) and an InventoryMismatchDetected; nothing changes stock here. No difference,
 * no reconciliation.
 */
export async function reconcileSnapshot(
  ports: ThreePLPorts,
  d: { locationId: string; webhookId: string; receivedAt: string; correlationId: string },
  snapshot: { asOf: string; items: { sku: string; onHand: number }[] },
): Promise<Reconciliation | undefined> {
  const reported = new Map<string, number>();
  for (const i of snapshot.items) reported.set(i.sku, (reported.get(i.sku) ?? 0) + i.onHand);
  const ours = await ports.inventory.positionsAt(d.locationId, [...reported.keys()]);
  const lines: ReconciliationLine[] = [];
  let matched = 0;
  for (const [sku, position] of [...ours].sort(([a], [b]) => a.localeCompare(b))) {
    const theirs = reported.get(sku) ?? 0;
    if (theirs === position.onHand) {
      matched++;
      continue;
    }
    lines.push({ sku, ours: position, reported: theirs, delta: theirs - position.onHand });
  }
  if (!lines.length) return undefined;
  const asOf = new Date(snapshot.asOf).toISOString();
  const reconciliationId = reconciliationIdOf(d.locationId, asOf);
  const stored = await ports.reconciliations.create({
    reconciliationId,
    locationId: d.locationId,
    status: 'open',
    asOf,
    webhookId: d.webhookId,
    receivedAt: d.receivedAt,
    lines,
    matched,
    createdAt: ports.clock().toISOString(),
  });
  await ports.events.publish(
    stored.lines.map((l) =>
      derivedEvent(
        InventoryMismatchDetected,
        {
          reconciliationId,
          locationId: d.locationId,
          sku: l.sku,
          ours: l.ours,
          reported: l.reported,
          delta: l.delta,
          evidence: { source: '3pl-snapshot', asOf, webhookId: stored.webhookId },
          detectedAt: stored.createdAt,
        },
        `${reconciliationId}#${l.sku}`,
        stored.createdAt,
        d.correlationId,
      ),
    ),
  );
  return stored;
}

/**
 * Approval posts each line's difference as an adjustment at the node (inventory's count
 * correction, the reconciliation as the reason), each idempotent by reconciliation × SKU; then
 * the reconciliation is `approved`. A line inventory refuses (the loss is reserved for orders)
 * stops the approval with that 409: lines posted stay posted (their keys make a second approval
 * skip them), the reconciliation stays open with the error, and approving again resumes.
 * Approving an approved one answers it unchanged.
 */
export async function approveReconciliation(
  ports: ThreePLPorts,
  reconciliationId: string,
  note: string,
  who: { actor: string; correlationId: string },
): Promise<{ reconciliation: Reconciliation; changed: boolean }> {
  const r = await ports.reconciliations.get(reconciliationId);
  if (!r) throw new ReconciliationNotFound(reconciliationId);
  if (r.status === 'approved') return { reconciliation: r, changed: false };
  for (const line of r.lines) {
    if (line.delta === 0) continue;
    try {
      await ports.inventory.adjust(
        {
          sku: line.sku,
          locationId: r.locationId,
          delta: line.delta,
          reason: `3PL reconciliation ${r.reconciliationId}: ${note}`.slice(0, 200),
          idempotencyKey: `recon:${r.reconciliationId}:${hash(line.sku, 16)}`,
        },
        who,
      );
    } catch (error) {
      if (error instanceof DomainError) {
        await ports.reconciliations.recordError(reconciliationId, `${line.sku}: ${error.message}`);
      }
      throw error;
    }
  }
  const at = ports.clock().toISOString();
  const changed = await ports.reconciliations.markApproved(reconciliationId, who.actor, note, at);
  const after = await ports.reconciliations.get(reconciliationId);
  // Its id is derived from the reconciliation, so a retried approval announces it once.
  await ports.events.publish([
    derivedEvent(
      ThreePLReconciliationApproved,
      {
        reconciliationId,
        locationId: r.locationId,
        skus: r.lines.map((l) => l.sku),
        approvedAt: after?.approvedAt ?? at,
      },
      `${reconciliationId}#approved`,
      at,
      who.correlationId,
    ),
  ]);
  return { reconciliation: after ?? r, changed };
}
