import { setTimeout as sleep } from 'node:timers/promises';
import { thirdPartyShipmentConfirmed } from '#fulfillment/api';
import { derivedEvent } from '#shared/events';
import { ShipmentInProgress, UnknownThreePLReference } from '../errors.ts';
import { ThreePLOrderStatusChanged } from '../events/threepl.ts';
import type { ThreePLWebhookBody } from '../schemas/threepl.ts';
import { reconcileSnapshot } from './reconcile.ts';
import type { ThreePLOrder, ThreePLPorts } from './threepl-ports.ts';

export interface Delivery {
  locationId: string;
  webhookId: string;
  receivedAt: string;
  correlationId: string;
}

export type WebhookOutcome =
  | { result: 'duplicate' }
  | { result: 'shipped'; orderId: string }
  | { result: 'shipped-after-release'; orderId: string }
  | { result: 'noted'; orderId: string; status: string }
  | { result: 'reconciliation'; reconciliationId: string | null; differences: number };

const PROBLEM_STATUS = {
  'shipment.exception': 'exception',
  'order.on_hold': 'on_hold',
  'order.cancelled': 'cancelled',
} as const;

/**
 * A verified 3PL webhook, any type, any number of times, in any order:
 * - a webhook id already handled answers `duplicate` and changes nothing;
 * - each type's handling is itself idempotent (a concurrent redelivery, whose id is not yet
 *   remembered, changes nothing twice), and the id is remembered only once it is handled, so a
 *   failure leaves the 3PL's retry to finish it.
 */
export async function receiveThreePLWebhook(
  ports: ThreePLPorts,
  d: Delivery,
  body: ThreePLWebhookBody,
): Promise<WebhookOutcome> {
  if (await ports.webhooks.seen(d.locationId, d.webhookId)) return { result: 'duplicate' };
  const outcome = await handle(ports, d, body);
  await ports.webhooks.remember(d.locationId, d.webhookId, body.type, d.receivedAt);
  return outcome;
}

async function handle(ports: ThreePLPorts, d: Delivery, body: ThreePLWebhookBody): Promise<WebhookOutcome> {
  switch (body.type) {
    case 'shipment.shipped':
      return shipped(ports, d, body.data);
    case 'inventory.snapshot': {
      const r = await reconcileSnapshot(ports, d, body.data);
      return {
        result: 'reconciliation',
        reconciliationId: r?.reconciliationId ?? null,
        differences: r?.lines.length ?? 0,
      };
    }
    default: {
      const order = await orderOf(ports, d.locationId, body.data.referenceId);
      const status = PROBLEM_STATUS[body.type];
      const reason = body.data.reason ?? body.data.message;
      await ports.orders.note(
        d.locationId,
        order.orderId,
        { type: body.type, at: d.receivedAt, webhookId: d.webhookId, ...(reason ? { reason } : {}) },
        status,
      );
      // Derived from the webhook id: a concurrent redelivery publishes the identical event.
      await ports.events.publish([
        derivedEvent(
          ThreePLOrderStatusChanged,
          {
            locationId: d.locationId,
            orderId: order.orderId,
            status,
            ...(reason ? { reason } : {}),
            webhookId: d.webhookId,
            at: d.receivedAt,
          },
          `${d.locationId}#${d.webhookId}`,
          d.receivedAt,
          d.correlationId,
        ),
      ]);
      return { result: 'noted', orderId: order.orderId, status };
    }
  }
}

async function orderOf(ports: ThreePLPorts, locationId: string, referenceId: string): Promise<ThreePLOrder> {
  const order = await ports.orders.get(locationId, referenceId);
  if (!order) throw new UnknownThreePLReference(locationId, referenceId);
  return order;
}

type ShippedData = Extract<ThreePLWebhookBody, { type: 'shipment.shipped' }>['data'];

/**
 * The 3PL shipped the node's part: the same path as our own warehouse's parcel.
 * 1. inventory consumes the node's reservation (idempotent by reservation: once, however many
 *    deliveries race); a reservation released meanwhile (the order was cancelled) is recorded as
 *    an exception on the part and publishes nothing
 * 2. the shipment is recorded and its publishing claimed (one publisher at a time)
 * 3. ShipmentConfirmed (fulfillment's event, id derived from the reservation) → orders marks the
 *    order shipped, finance posts it, the channel is told
 * A delivery that finds another publishing waits for it, else answers 409 so the 3PL retries.
 */
async function shipped(ports: ThreePLPorts, d: Delivery, data: ShippedData): Promise<WebhookOutcome> {
  const order = await orderOf(ports, d.locationId, data.referenceId);
  if (order.shipmentPublishedAt) return { result: 'shipped', orderId: order.orderId };
  const consumed = await ports.inventory.consume(order.reservationId, d.correlationId);
  if (consumed === 'closed') {
    await ports.orders.note(
      d.locationId,
      order.orderId,
      {
        type: 'shipment.shipped',
        at: d.receivedAt,
        webhookId: d.webhookId,
        reason: 'shipped by the 3PL after its reservation was released (order cancelled or re-routed)',
      },
      'exception',
    );
    return { result: 'shipped-after-release', orderId: order.orderId };
  }
  const shipment = {
    carrier: data.carrier,
    service: data.service,
    trackingNumber: data.trackingNumber,
    ...(data.trackingUrl ? { trackingUrl: data.trackingUrl } : {}),
    shippedAt: new Date(data.shippedAt).toISOString(),
    reported: data.lines,
  };
  const now = ports.clock().getTime();
  if (await ports.orders.claimShipment(d.locationId, order.orderId, shipment, now, ports.leaseMs)) {
    await ports.events.publish([
      thirdPartyShipmentConfirmed(
        {
          orderId: order.orderId,
          channelId: order.channelId,
          externalId: order.externalId,
          locationId: order.locationId,
          reservationId: order.reservationId,
          // The whole reservation was consumed: every line of the part left.
          lines: order.lines,
          carrier: shipment.carrier,
          service: shipment.service,
          trackingNumber: shipment.trackingNumber,
          ...(shipment.trackingUrl ? { trackingUrl: shipment.trackingUrl } : {}),
          shippedAt: shipment.shippedAt,
        },
        d.correlationId,
      ),
    ]);
    await ports.orders.markShipmentPublished(d.locationId, order.orderId, ports.clock().toISOString());
    return { result: 'shipped', orderId: order.orderId };
  }
  // Another delivery holds the claim: it publishes; wait a little to answer truthfully.
  const until = Date.now() + ports.shipmentWaitMs;
  while (Date.now() < until) {
    await sleep(100);
    if ((await ports.orders.get(d.locationId, order.orderId))?.shipmentPublishedAt)
      return { result: 'shipped', orderId: order.orderId };
  }
  throw new ShipmentInProgress(order.orderId);
}
