import { logger } from '#shared/powertools';
import type { Fulfillment, FulfillmentLine } from '../schemas/fulfillment.ts';
import { nextCutoff } from './cutoffs.ts';
import type { FulfillmentPorts, ReservationAllocation } from './ports.ts';

/** Service level → priority when cutoffs tie (unknown levels count as standard). */
const PRIORITY: Record<string, number> = { overnight: 3, expedited: 2, standard: 1, pickup: 0 };
export const priorityOf = (serviceLevel: string) => PRIORITY[serviceLevel] ?? 1;

/**
 * A fulfillment that takes no more work: cancelled, or its cancel asked (B3's `cancelRequested`,
 * set before the workflow's Cancel step gets to it). Waves skip it; picks refuse units for it.
 */
export const isWithdrawn = (f: Fulfillment) =>
  f.status === 'cancelled' ||
  (f as Fulfillment & { cancelRequested?: unknown }).cancelRequested !== undefined;

/** What fulfillment reads of an OrderReleased. */
export interface ReleasedToNode {
  orderId: string;
  channelId: string;
  externalId: string;
  reservationId: string;
  locationId: string;
  nodeType: 'warehouse' | 'store' | '3pl';
  lines: { lineId: string; sku: string; quantity: number }[];
  serviceLevel: string;
  /** What the reservation holds (OrderReleased carries it since fulfillment began reading it). */
  held?: { lines: { sku: string; quantity: number }[]; allocations: ReservationAllocation[] };
}

/**
 * The physical lines of a fulfillment from its reservation: every allocation at the location
 * (a kit as its components, a sharded SKU summed over shards), attributed to the order lines of
 * the ordered SKU in their order (a reservation line merges order lines of one SKU).
 */
export function linesFromReservation(
  released: Pick<ReleasedToNode, 'lines' | 'locationId'>,
  reservation: { lines: { sku: string; quantity: number }[]; allocations: ReservationAllocation[] },
): FulfillmentLine[] {
  const out = new Map<string, FulfillmentLine>();
  const add = (lineId: string, sku: string, quantity: number, kitSku?: string, unitsPerKit?: number) => {
    if (quantity <= 0) return;
    const key = `${lineId}\u0000${sku}`;
    const seen = out.get(key);
    if (seen) seen.quantity += quantity;
    else
      out.set(key, {
        lineId,
        sku,
        ...(kitSku ? { kitSku } : {}),
        ...(unitsPerKit ? { unitsPerKit } : {}),
        quantity,
        picked: 0,
        packed: 0,
        shorted: 0,
      });
  };
  // Units per (reservation line, component SKU), shards summed.
  const perLine = new Map<string, { lineIndex: number; sku: string; kitSku?: string; quantity: number }>();
  for (const a of reservation.allocations) {
    if (a.locationId !== released.locationId) continue;
    const key = `${a.lineIndex}\u0000${a.sku}`;
    const seen = perLine.get(key);
    if (seen) seen.quantity += a.quantity;
    else
      perLine.set(key, {
        lineIndex: a.lineIndex,
        sku: a.sku,
        ...(a.kitSku ? { kitSku: a.kitSku } : {}),
        quantity: a.quantity,
      });
  }
  for (const part of perLine.values()) {
    const ordered = reservation.lines[part.lineIndex];
    const orderedSku = part.kitSku ?? ordered?.sku ?? part.sku;
    const orderLines = released.lines.filter((l) => l.sku === orderedSku);
    // Units of this SKU per ordered unit: 1, or the kit's component quantity.
    const perUnit =
      part.kitSku && ordered && ordered.quantity > 0
        ? Math.max(1, Math.round(part.quantity / ordered.quantity))
        : 1;
    let left = part.quantity;
    for (const [i, line] of orderLines.entries()) {
      const share = i === orderLines.length - 1 ? left : Math.min(left, line.quantity * perUnit);
      add(line.lineId, part.sku, share, part.kitSku, part.kitSku ? perUnit : undefined);
      left -= share;
    }
    if (orderLines.length === 0)
      add(part.sku, part.sku, left, part.kitSku, part.kitSku ? perUnit : undefined);
  }
  return [...out.values()];
}

/**
 * OrderReleased to one of our own nodes becomes one fulfillment (id = the reservation id, so a
 * redelivery finds it), with its carrier cutoff, and its workflow is started (by the same name:
 * a second start is a no-op). A 3PL's release is not ours.
 */
export async function createFromRelease(
  ports: Pick<FulfillmentPorts, 'store' | 'inventory' | 'carriers' | 'workflows' | 'signals' | 'clock'>,
  released: ReleasedToNode,
  correlationId: string,
): Promise<Fulfillment | undefined> {
  if (released.nodeType === '3pl') return undefined;
  const fulfillmentId = released.reservationId;
  // A release that carries what it holds is written first (the conditional put is the
  // duplicate check): a first delivery, the common case, then costs no read. Older events
  // (and 3PL hand-backs) read first, since they must also look up the reservation.
  let fulfillment = released.held ? undefined : await ports.store.get(fulfillmentId);
  if (!fulfillment) {
    // The release carries what its reservation holds; older events (and 3PL hand-backs) do not,
    // so only those read the reservation (whose record may trail the event by a moment).
    const reservation = released.held
      ? { status: 'open', ...released.held }
      : await ports.inventory.reservation(released.reservationId);
    if (!reservation)
      throw new Error(`Reservation ${released.reservationId} of ${released.orderId} not found`);
    if (reservation.status !== 'open') {
      // Cancelled (or expired) before we saw the release: nothing to pick.
      logger.info('Release of a closed reservation: no fulfillment', {
        reservationId: released.reservationId,
        status: reservation.status,
      });
      return undefined;
    }
    const now = ports.clock();
    const at = now.toISOString();
    const [carriers, timeZone] = await Promise.all([
      ports.carriers.all(),
      ports.inventory.timeZoneOf(released.locationId),
    ]);
    const cutoff = nextCutoff(carriers, released.locationId, released.serviceLevel, timeZone, now);
    const candidate: Fulfillment = {
      fulfillmentId,
      orderId: released.orderId,
      channelId: released.channelId,
      externalId: released.externalId,
      locationId: released.locationId,
      reservationId: released.reservationId,
      serviceLevel: released.serviceLevel,
      priority: priorityOf(released.serviceLevel),
      status: 'released',
      lines: linesFromReservation(released, reservation),
      ...(cutoff ? cutoff : {}),
      createdAt: at,
      updatedAt: at,
      version: 1,
    };
    const created = await ports.store.create(candidate);
    fulfillment = created ? candidate : await ports.store.get(fulfillmentId);
  }
  if (fulfillment?.status === 'released' && !isWithdrawn(fulfillment)) {
    // The order's cancel may have raced this release: it releases the reservation, then its
    // handler cancels the fulfillments it finds — none, if it ran before the write above. Read
    // after writing: a reservation closed by now is cancelled here (its workflow goes to Cancel);
    // one closed later is found by that handler (by id: OrderReleaseCancelled names it).
    const status = await ports.inventory.reservationStatus(fulfillmentId);
    if (status !== undefined && status !== 'open') {
      await ports.signals.cancel(fulfillmentId, `reservation ${status} before the fulfillment began`);
    }
  }
  await ports.workflows.start(fulfillmentId, correlationId);
  return fulfillment;
}
