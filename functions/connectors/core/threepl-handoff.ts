import type { ThreePLOrderRequested } from '#orders/api';
import { createEvent } from '#shared/events';
import { ThreePLNotConnected } from '../errors.ts';
import { ThreePLOrderSent } from '../events/threepl.ts';
import type { ThreePLOrder, ThreePLPorts } from './threepl-ports.ts';

type Requested = (typeof ThreePLOrderRequested.data)['_output'];

/** The physical units the node holds for the part: a kit as its components, else the lines. */
function unitsOf(req: Requested): { sku: string; quantity: number }[] {
  const by = new Map<string, number>();
  const source = req.held?.allocations.length
    ? req.held.allocations.filter((a) => a.locationId === req.locationId)
    : req.lines;
  for (const u of source) by.set(u.sku, (by.get(u.sku) ?? 0) + u.quantity);
  return [...by].map(([sku, quantity]) => ({ sku, quantity }));
}

/** The 3PL location's connection and token, or ThreePLNotConnected. */
export async function connectionOf(ports: Pick<ThreePLPorts, 'locations' | 'secrets'>, locationId: string) {
  const location = await ports.locations.get(locationId);
  if (!location) throw new ThreePLNotConnected(locationId, 'the location does not exist');
  if (location.type !== '3pl' || !location.connection)
    throw new ThreePLNotConnected(locationId, 'it is not a 3pl location with a connection');
  const connection = location.connection;
  const token = connection.tokenRef ? await ports.secrets.get(connection.tokenRef) : undefined;
  return { connection, token };
}

/**
 * ThreePLOrderRequested → the order created in the 3PL's API, once per node part:
 * 1. the part's record (created on first sight; a redelivery finds it); a location without a
 *    connection ends here (`not-connected`: the part waits, pending, on its 3PL orders)
 * 2. done when the hand-off is `sent`; else claim it (a lease, so concurrent deliveries call once)
 * 3. create the order at the 3PL, idempotent by our reference (the order id): a duplicate answer
 *    counts as created, so a crash after the call and before `sent` is harmless
 * 4. `sent` with the 3PL's id, ThreePLOrderSent. A failed call gives the lease back and throws, so
 *    the bus retries and, after its policy, dead-letters the delivery for replay.
 */
export async function handOff(
  ports: ThreePLPorts,
  req: Requested,
  correlationId: string,
): Promise<'sent' | 'already-sent' | 'in-flight' | 'not-connected'> {
  const now = ports.clock().toISOString();
  const record: ThreePLOrder = {
    locationId: req.locationId,
    orderId: req.orderId,
    reservationId: req.reservationId,
    channelId: req.channelId,
    externalId: req.externalId,
    lines: req.lines.map((l) => ({ lineId: l.lineId, sku: l.sku, quantity: l.quantity })),
    units: unitsOf(req),
    serviceLevel: req.serviceLevel,
    shipTo: req.shipTo,
    handoff: 'pending',
    status: 'requested',
    history: [],
    createdAt: now,
    updatedAt: now,
  };
  const stored = await ports.orders.ensure(record);
  if (stored.handoff === 'sent') return 'already-sent';
  // A 3PL we have no connection to (handled through its own portal, or not connected yet): the
  // part stays recorded as pending on the location's 3PL orders, and nothing is retried.
  const location = await ports.locations.get(req.locationId);
  if (location?.type !== '3pl' || !location.connection) return 'not-connected';
  const { connection, token } = await connectionOf(ports, req.locationId);
  const owner = ports.newOwner();
  if (
    !(await ports.orders.claimHandoff(
      req.locationId,
      req.orderId,
      owner,
      ports.clock().getTime(),
      ports.leaseMs,
    ))
  )
    return 'in-flight';
  let providerOrderId: string;
  try {
    providerOrderId = await ports.clients[connection.provider].createOrder(connection, token, stored);
  } catch (error) {
    await ports.orders.releaseHandoff(req.locationId, req.orderId, owner, (error as Error).message);
    throw error;
  }
  const sentAt = ports.clock().toISOString();
  await ports.orders.markSent(req.locationId, req.orderId, owner, providerOrderId, sentAt);
  await ports.events.publish([
    createEvent(
      ThreePLOrderSent,
      {
        locationId: req.locationId,
        orderId: req.orderId,
        reservationId: req.reservationId,
        providerOrderId,
        sentAt,
      },
      { correlationId, now: ports.clock },
    ),
  ]);
  return 'sent';
}
