import { logger } from '#shared/powertools';
import { FulfillmentNotFound } from '../errors.ts';
import { type ShippingPorts, type ShippingRecord, STAGING_BIN } from './shipping-ports.ts';

const SYSTEM = 'system:fulfillment';
const ATTEMPTS = 5;

/**
 * Asks a fulfillment's workflow to cancel: marks the cancel on the fulfillment (so a workflow not
 * parked yet sees it at its next step) and fails whatever task it is parked on with
 * FulfillmentCancelled. A shipped fulfillment is left alone (logged); a repeat changes nothing.
 */
export async function requestCancel(
  ports: Pick<ShippingPorts, 'shipments' | 'tokens' | 'clock'>,
  fulfillmentId: string,
  reason: string,
): Promise<'requested' | 'shipped' | 'missing'> {
  const f = await ports.shipments.requestCancel(fulfillmentId, reason, ports.clock().toISOString());
  if (!f) return 'missing';
  if (f.status === 'shipped') {
    logger.info('Cancel of a shipped fulfillment: left alone', { fulfillmentId, reason });
    return 'shipped';
  }
  // Tokens of phases already passed answer `gone`; only the parked one (if any) takes it.
  for (const token of Object.values(f.tokens ?? {}))
    if (token) await ports.tokens.fail(token, 'FulfillmentCancelled', reason);
  return 'requested';
}

/**
 * The workflow's Cancel step. The reservation is released first: inventory settles a race with a
 * shipment (the reservation is consumed or released, never both), so when the parcel left first
 * this answers `shipped` and changes nothing. Otherwise the fulfillment becomes `cancelled` and
 * the units picked for it go from STAGING back to the bins they were picked from. Every part is
 * idempotent, so the state's retries are safe.
 */
export async function cancelFulfillment(
  ports: ShippingPorts,
  fulfillmentId: string,
  correlationId: string,
): Promise<{ outcome: 'cancelled' | 'shipped'; unitsReturned: number }> {
  let f = await ports.shipments.load(fulfillmentId);
  if (!f) throw new FulfillmentNotFound(fulfillmentId);
  if (f.status === 'shipped') return { outcome: 'shipped', unitsReturned: 0 };
  const reason = f.cancelRequested?.reason ?? 'fulfillment cancelled';
  const released = await ports.inventory.release(f.reservationId, reason, correlationId);
  if (released === 'consumed') {
    logger.info('Cancel lost to the shipment: the reservation was consumed', { fulfillmentId });
    return { outcome: 'shipped', unitsReturned: 0 };
  }
  for (let attempt = 1; f.status !== 'cancelled'; attempt++) {
    if (await ports.shipments.markCancelled(f, ports.clock().toISOString())) {
      f = { ...f, status: 'cancelled', version: f.version + 1 };
      break;
    }
    if (attempt >= ATTEMPTS)
      throw new Error(`Fulfillment ${fulfillmentId} kept changing while it was cancelled`);
    const again = await ports.shipments.load(fulfillmentId);
    if (!again) throw new FulfillmentNotFound(fulfillmentId);
    f = again;
  }
  const unitsReturned = await returnPickedUnits(ports, f, correlationId);
  return { outcome: 'cancelled', unitsReturned };
}

/** Units picked for the fulfillment go back, per task, from STAGING to the task's bin. */
async function returnPickedUnits(ports: ShippingPorts, f: ShippingRecord, correlationId: string) {
  if (!f.waveId) return 0;
  let units = 0;
  for (const task of await ports.shipments.tasksOf(f.waveId)) {
    const picked = task.allocations
      .filter((a) => a.fulfillmentId === f.fulfillmentId)
      .reduce((sum, a) => sum + a.picked, 0);
    if (picked <= 0) continue;
    await ports.inventory.moveBetweenBins(
      {
        sku: task.sku,
        locationId: f.locationId,
        fromBinId: STAGING_BIN,
        toBinId: task.binId,
        quantity: picked,
        // One move per fulfillment × task, whatever the retries.
        idempotencyKey: `cancel:${f.fulfillmentId}:${task.taskId}`,
        reason: 'fulfillment cancelled: picked units back to their bin',
      },
      { actor: SYSTEM, correlationId },
    );
    units += picked;
  }
  return units;
}

/**
 * OrderCancelled: every fulfillment of the order not shipped yet is cancelled through its workflow.
 * `reservationIds` (OrderReleaseCancelled's released reservations = fulfillment ids) are asked by
 * id as well: a consistent read finds a fulfillment created a moment ago, which the order's index
 * may not list yet.
 */
export async function cancelOrderFulfillments(
  ports: Pick<ShippingPorts, 'shipments' | 'tokens' | 'clock'>,
  orderId: string,
  reason: string,
  reservationIds: readonly string[] = [],
) {
  const fulfillments = await ports.shipments.ofOrder(orderId);
  const outcomes: Record<string, string> = {};
  for (const f of fulfillments) {
    if (f.status === 'cancelled') continue;
    outcomes[f.fulfillmentId] = await requestCancel(ports, f.fulfillmentId, reason);
  }
  for (const id of reservationIds) {
    if (fulfillments.some((f) => f.fulfillmentId === id)) continue;
    const outcome = await requestCancel(ports, id, reason);
    if (outcome !== 'missing') outcomes[id] = outcome;
  }
  return outcomes;
}
