import type { FulfillmentPacked, ShipmentConfirmed, WaveReleased } from '#fulfillment/api';
import { OrderNotFound } from '../../errors.ts';
import type { ReleaseFields, ReleaseOrder, Shipment, ShipmentProgress } from '../schemas.ts';
import type { ReleasePorts } from './ports.ts';
import { type Decision, isCancelled, mutate, shipmentsOf, withStatus } from './release-state.ts';

/**
 * The order follows its fulfillments (fulfillment's events): a wave makes it `picking`, a packed
 * parcel `packed`, a confirmed shipment `shipped` once every unit of every line has left, else
 * `partially_shipped`. Each node's part (shipment, keyed by its reservation id = fulfillment id)
 * records its own progress and, once shipped, the parcel's carrier and tracking.
 *
 * The status only moves forward (a late WaveReleased after packing changes nothing), and every
 * write is the release state's conditional write under `releaseVersion`: a redelivered event
 * finds its progress already recorded and writes nothing.
 */

type WaveReleasedData = (typeof WaveReleased.data)['_output'];
type FulfillmentPackedData = (typeof FulfillmentPacked.data)['_output'];
type ShipmentConfirmedData = (typeof ShipmentConfirmed.data)['_output'];

export const FULFILLMENT_ACTOR = 'system:fulfillment';

export type ProgressOutcome = 'changed' | 'unchanged' | 'missing';

const RANK: Record<ShipmentProgress['status'], number> = { picking: 1, packed: 2, shipped: 3 };
const behind = (s: Shipment, status: ShipmentProgress['status']) =>
  (s.fulfillment ? RANK[s.fulfillment.status] : 0) < RANK[status];
/** A part still with the node: released to it and not shipped (nor shorted away). */
const atNode = (s: Shipment | undefined): s is Shipment => s?.status === 'released';

/** A wave took some of the order's parts: the order is being picked (only from `released`). */
export async function followWave(ports: ReleasePorts, wave: WaveReleasedData): Promise<ProgressOutcome[]> {
  const outcomes: ProgressOutcome[] = [];
  for (const orderId of new Set(wave.orderIds)) {
    outcomes.push(
      await follow(ports, orderId, (order) => {
        const shipments = { ...(order.shipments ?? {}) };
        let touched = false;
        for (const id of wave.fulfillmentIds) {
          const s = shipments[id];
          if (!atNode(s) || !behind(s, 'picking')) continue;
          shipments[id] = {
            ...s,
            fulfillment: { status: 'picking', at: wave.releasedAt, waveId: wave.waveId },
          };
          touched = true;
        }
        const moves = order.status === 'released' && !isCancelled(order);
        if (!touched && !moves) return { value: 'unchanged' };
        return {
          value: 'changed',
          patch: {
            ...(touched ? { shipments } : {}),
            ...(moves
              ? withStatus(order, 'picking', wave.releasedAt, FULFILLMENT_ACTOR, 'WaveReleased')
              : {}),
          },
        };
      }),
    );
  }
  return outcomes;
}

/** One node's part is packed: the order is `packed` (from `released` or `picking`). */
export function followPacked(ports: ReleasePorts, packed: FulfillmentPackedData): Promise<ProgressOutcome> {
  return follow(ports, packed.orderId, (order) => {
    const s = order.shipments?.[packed.fulfillmentId];
    const touched = atNode(s) && behind(s, 'packed');
    const moves = (order.status === 'released' || order.status === 'picking') && !isCancelled(order);
    if (!touched && !moves) return { value: 'unchanged' };
    const patch: Partial<ReleaseFields> = {};
    if (touched) {
      const { waveId } = s.fulfillment ?? {};
      patch.shipments = {
        ...order.shipments,
        [s.reservationId]: {
          ...s,
          fulfillment: {
            status: 'packed',
            at: packed.at,
            ...(waveId ? { waveId } : {}),
            packages: packed.packages.length,
          },
        },
      };
    }
    if (moves)
      Object.assign(patch, withStatus(order, 'packed', packed.at, FULFILLMENT_ACTOR, 'FulfillmentPacked'));
    return { value: 'changed', patch };
  });
}

/**
 * A node's parcel left: its part is `shipped` with carrier and tracking; the order is `shipped`
 * when every unit of every line has shipped, else `partially_shipped`. An order waiting for
 * stock (backordered) or cancelled keeps that status; the shipment is recorded all the same,
 * because it did leave.
 */
export function followShipment(
  ports: ReleasePorts,
  shipped: ShipmentConfirmedData,
): Promise<ProgressOutcome> {
  return follow(
    ports,
    shipped.orderId,
    (order) => {
      const s = order.shipments?.[shipped.reservationId] ?? order.shipments?.[shipped.fulfillmentId];
      if (!s || s.status === 'shipped') return { value: 'unchanged' };
      // Units a short pick took out are not in the parcel: the part holds what the event says left.
      const reported = new Map<string, number>();
      for (const l of shipped.lines) reported.set(l.lineId, (reported.get(l.lineId) ?? 0) + l.quantity);
      const lines = s.lines
        .map((l) => ({ ...l, quantity: Math.min(l.quantity, reported.get(l.lineId) ?? l.quantity) }))
        .filter((l) => l.quantity > 0);
      const part: Shipment = {
        ...s,
        status: 'shipped',
        lines,
        fulfillment: {
          status: 'shipped',
          at: shipped.shippedAt,
          ...(s.fulfillment?.waveId ? { waveId: s.fulfillment.waveId } : {}),
          packages: shipped.packages,
          shipmentId: shipped.shipmentId,
          carrier: shipped.carrier,
          service: shipped.service,
          trackingNumber: shipped.trackingNumber,
          ...(shipped.trackingUrl ? { trackingUrl: shipped.trackingUrl } : {}),
          shippedAt: shipped.shippedAt,
          lines: shipped.lines,
        },
      };
      const after = { ...order, shipments: { ...order.shipments, [s.reservationId]: part } } as ReleaseOrder;
      const status = isCancelled(order)
        ? order.status
        : everyUnitShipped(after)
          ? 'shipped'
          : ['released', 'picking', 'packed'].includes(order.status)
            ? 'partially_shipped'
            : order.status;
      return {
        value: 'changed',
        patch: {
          shipments: after.shipments,
          ...(status !== order.status
            ? withStatus(order, status, shipped.shippedAt, FULFILLMENT_ACTOR, 'ShipmentConfirmed')
            : {}),
        },
      };
    },
    // A parcel that left before the cancellation caught up with it is still recorded.
    { allowCancelled: true },
  );
}

/** Every unit of every order line is on a shipped part. */
export function everyUnitShipped(order: ReleaseOrder): boolean {
  const shipped = new Map<string, number>();
  for (const s of shipmentsOf(order)) {
    if (s.status !== 'shipped') continue;
    for (const l of s.lines) shipped.set(l.lineId, (shipped.get(l.lineId) ?? 0) + l.quantity);
  }
  return order.lines.every((l) => (shipped.get(l.lineId) ?? 0) >= l.quantity);
}

/** The release state's conditional write; an order this context does not know is skipped. */
async function follow(
  ports: ReleasePorts,
  orderId: string,
  decide: (order: ReleaseOrder) => Decision<ProgressOutcome>,
  opts: { allowCancelled?: boolean } = {},
): Promise<ProgressOutcome> {
  try {
    const { value } = await mutate(ports, orderId, decide, opts);
    return value;
  } catch (error) {
    if (error instanceof OrderNotFound) return 'missing';
    throw error;
  }
}
