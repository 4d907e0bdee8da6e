import { MAX_MONEY_MINOR } from '#shared/bounds';
import { Conflict, type FieldIssue, ValidationFailed } from '#shared/errors';
import { IdReused, PoNotCancellable, PurchaseOrderNotFound, UnknownReference } from '../errors.ts';
import { PurchaseOrderCancelled } from '../events/purchase-order-cancelled.ts';
import { PurchaseOrderPlaced } from '../events/purchase-order-placed.ts';
import {
  type PoLine,
  type PurchaseOrder,
  type PurchaseOrderBody,
  RECEIVABLE,
  type Supplier,
} from '../schemas/inbound.ts';
import { fingerprintOf, inboundEvent } from './fingerprint.ts';
import { parseUnitCost } from './money.ts';
import type { Actor, InboundPorts } from './ports.ts';

/** Attempts at a write that lost a race with another change of the same PO. */
const ATTEMPTS = 3;

/** Costs in the supplier's currency, or a 400 naming each bad `lines.<i>.unitCost`. */
function costsOf(body: PurchaseOrderBody, currency: string): number[] {
  const issues: FieldIssue[] = [];
  const costs = body.lines.map((line, i) => {
    const cost = parseUnitCost(line.unitCost, currency);
    if (!cost.ok) {
      issues.push({ field: `lines.${i}.unitCost`, message: cost.reason });
      return 0;
    }
    // Bounded per line so the PO's total stays an exact integer (shared/bounds.ts).
    if (cost.minor * line.quantity > MAX_MONEY_MINOR) {
      issues.push({ field: `lines.${i}.unitCost`, message: 'quantity × unit cost is too large' });
    }
    return cost.minor;
  });
  if (issues.length) throw new ValidationFailed('Invalid unit cost', issues);
  return costs;
}

/** What defines a PO: a repeated POST with the same definition is the same PO. */
const poFingerprint = (body: PurchaseOrderBody, currency: string, costs: number[]) =>
  fingerprintOf({
    supplierId: body.supplierId,
    locationId: body.locationId,
    expectedAt: body.expectedAt,
    currency,
    lines: body.lines
      .map((l, i) => [l.sku, l.quantity, costs[i]] as const)
      .sort((a, b) => (a[0] < b[0] ? -1 : 1)),
  });

async function checkReferences(ports: InboundPorts, body: PurchaseOrderBody): Promise<void> {
  const skus = body.lines.map((l) => l.sku);
  const [locationKnown, kinds] = await Promise.all([
    ports.locations.exists(body.locationId),
    ports.catalog.kinds(skus),
  ]);
  if (!locationKnown) {
    throw new UnknownReference('UNKNOWN_LOCATION', `Location ${body.locationId} is not defined`, {
      locationId: body.locationId,
    });
  }
  const unknown = body.lines.flatMap((l, i) => (kinds.has(l.sku) ? [] : [{ line: i, sku: l.sku }]));
  if (unknown.length) {
    throw new UnknownReference('UNKNOWN_SKU', `Not in the catalog: ${unknown.map((u) => u.sku).join(', ')}`, {
      lines: unknown,
    });
  }
  const kits = body.lines.flatMap((l, i) => (kinds.get(l.sku) === 'kit' ? [{ line: i, sku: l.sku }] : []));
  if (kits.length) {
    throw new UnknownReference(
      'SKU_IS_KIT',
      `Kits are bought as their components: ${kits.map((k) => k.sku).join(', ')}`,
      { lines: kits },
    );
  }
}

export function placedEvent(po: PurchaseOrder, lines: readonly PoLine[], correlationId: string) {
  return inboundEvent(
    PurchaseOrderPlaced,
    {
      poId: po.poId,
      supplierId: po.supplierId,
      locationId: po.locationId,
      expectedAt: po.expectedAt,
      currency: po.currency,
      lines: lines.map((l) => ({ sku: l.sku, quantity: l.quantity, unitCostMinor: l.unitCostMinor })),
      placedAt: po.createdAt,
    },
    po.poId,
    po.createdAt,
    correlationId,
  );
}

/**
 * Places a PO: `open` at once (there are no drafts yet). Idempotent by poId: the same definition
 * again answers the stored PO (and re-sends the identical PurchaseOrderPlaced, in case the first
 * call died before publishing); a different one is 409 PO_CONFLICT.
 */
export async function placePurchaseOrder(
  ports: InboundPorts,
  body: PurchaseOrderBody,
  who: Actor,
): Promise<{ created: boolean; po: PurchaseOrder; lines: PoLine[] }> {
  // A repeat is judged in the currency the PO was placed in, whatever the supplier uses now.
  const repeat = async () => {
    const existing = await ports.store.purchaseOrder(body.poId);
    if (!existing) return undefined;
    const currency = existing.po.currency;
    if (existing.po.fingerprint !== poFingerprint(body, currency, costsOf(body, currency))) {
      throw new IdReused('PO', body.poId);
    }
    await ports.events.publish([placedEvent(existing.po, existing.lines, who.correlationId)]);
    return { created: false, ...existing };
  };
  const earlier = await repeat();
  if (earlier) return earlier;

  const supplier = await ports.store.getSupplier(body.supplierId);
  if (!supplier) {
    throw new UnknownReference('UNKNOWN_SUPPLIER', `Supplier ${body.supplierId} is not defined`, {
      supplierId: body.supplierId,
    });
  }
  const costs = costsOf(body, supplier.currency);
  const fingerprint = poFingerprint(body, supplier.currency, costs);
  await checkReferences(ports, body);
  const { po, lines } = newPurchaseOrder(body, supplier, costs, fingerprint, who.actor, ports.clock());
  if (!(await ports.store.placePurchaseOrder(po, lines))) {
    // Placed by a concurrent call between our read and write.
    const raced = await repeat();
    if (raced) return raced;
    throw new Conflict('CONCURRENT_CHANGE', `PO ${body.poId} changed meanwhile; repeat the request`);
  }
  await ports.events.publish([placedEvent(po, lines, who.correlationId)]);
  return { created: true, po, lines };
}

function newPurchaseOrder(
  body: PurchaseOrderBody,
  supplier: Supplier,
  costs: number[],
  fingerprint: string,
  actor: string,
  now: Date,
): { po: PurchaseOrder; lines: PoLine[] } {
  const at = now.toISOString();
  const lines: PoLine[] = body.lines.map((l, i) => ({
    poId: body.poId,
    lineNo: i + 1,
    sku: l.sku,
    quantity: l.quantity,
    unitCostMinor: costs[i] ?? 0,
    received: 0,
    advised: 0,
    locationId: body.locationId,
    expectedAt: body.expectedAt,
  }));
  const po: PurchaseOrder = {
    poId: body.poId,
    supplierId: supplier.supplierId,
    locationId: body.locationId,
    expectedAt: body.expectedAt,
    currency: supplier.currency,
    status: 'open',
    lineCount: lines.length,
    totalUnits: lines.reduce((s, l) => s + l.quantity, 0),
    totalCostMinor: lines.reduce((s, l) => s + l.quantity * l.unitCostMinor, 0),
    fingerprint,
    createdAt: at,
    createdBy: actor,
    updatedAt: at,
    version: 1,
  };
  return { po, lines };
}

/**
 * Cancels an open or partly received PO: what it has not received stops being incoming. Cancelling
 * a cancelled PO answers it unchanged (and re-sends the identical event); a received one is 409.
 */
export async function cancelPurchaseOrder(
  ports: InboundPorts,
  poId: string,
  reason: string,
  who: Actor,
): Promise<{ changed: boolean; po: PurchaseOrder; lines: PoLine[] }> {
  for (let attempt = 1; ; attempt++) {
    const found = await ports.store.purchaseOrder(poId);
    if (!found) throw new PurchaseOrderNotFound(poId);
    const { po, lines } = found;
    if (po.status === 'cancelled') {
      await ports.events.publish([cancelledEvent(po, who.correlationId)]);
      return { changed: false, po, lines };
    }
    if (!RECEIVABLE.includes(po.status)) throw new PoNotCancellable(poId, po.status);
    const at = ports.clock().toISOString();
    const skus = lines.map((l) => l.sku);
    if (await ports.store.cancelPurchaseOrder(po, skus, { reason, at })) {
      const cancelled: PurchaseOrder = {
        ...po,
        status: 'cancelled',
        cancelReason: reason,
        cancelledAt: at,
        updatedAt: at,
        version: po.version + 1,
      };
      await ports.events.publish([cancelledEvent(cancelled, who.correlationId)]);
      return { changed: true, po: cancelled, lines };
    }
    if (attempt >= ATTEMPTS) {
      throw new Conflict('CONCURRENT_CHANGE', `PO ${poId} changed meanwhile; repeat the request`);
    }
  }
}

function cancelledEvent(po: PurchaseOrder, correlationId: string) {
  const at = po.cancelledAt ?? po.updatedAt;
  return inboundEvent(
    PurchaseOrderCancelled,
    {
      poId: po.poId,
      supplierId: po.supplierId,
      locationId: po.locationId,
      reason: po.cancelReason ?? '',
      cancelledAt: at,
    },
    po.poId,
    at,
    correlationId,
  );
}
