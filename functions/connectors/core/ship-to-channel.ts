import type { Channel } from '#orders/api';
import { ChannelCallFailed } from './ports.ts';

/** What a channel is told of a shipment (from ShipmentConfirmed). */
export interface ShipmentNotice {
  shipmentId: string;
  orderId: string;
  channelId: string;
  /** The order's id on the channel. */
  externalId: string;
  lines: { lineId: string; sku: string; quantity: number }[];
  carrier: string;
  service: string;
  trackingNumber: string;
  trackingUrl?: string;
  shippedAt: string;
}

/** Tells a channel an order (or part of it) shipped; answers the channel's reference of it. */
export interface ShipmentWriter {
  confirm(channel: Channel, token: string, shipment: ShipmentNotice): Promise<string>;
}

/** The once-per-shipment record: claimed before the channel is called, done after. */
export interface ShipmentClaims {
  /** True when this caller now holds the shipment (never claimed, or a claim that expired). */
  claim(
    channelId: string,
    shipmentId: string,
    owner: string,
    nowMs: number,
    leaseMs: number,
  ): Promise<boolean>;
  done(channelId: string, shipmentId: string, owner: string, reference: string, at: string): Promise<void>;
  /** A failed call gives the shipment back at once, so the bus's retry can claim it. */
  release(channelId: string, shipmentId: string, owner: string): Promise<void>;
}

export interface ShipPorts {
  channels: { get(channelId: string): Promise<Channel | undefined> };
  secrets: { get(name: string): Promise<string | undefined> };
  claims: ShipmentClaims;
  writers: Partial<Record<Channel['type'], ShipmentWriter>>;
  clock: () => Date;
  leaseMs: number;
  newOwner: () => string;
}

export type ShipOutcome = 'confirmed' | 'already' | 'not-connected';

/**
 * Tells the channel once. The claim is taken before the call, so deliveries of the same
 * shipment racing each other call at most once; one that finds it claimed or done does
 * nothing. A channel error releases the claim and is thrown, so the bus retries the delivery.
 * A crash after the call but before `done` leaves an expired claim: the writer itself checks
 * the channel for the shipment's tracking number before creating anything.
 */
export async function shipToChannel(ports: ShipPorts, shipment: ShipmentNotice): Promise<ShipOutcome> {
  const channel = await ports.channels.get(shipment.channelId);
  const writer = channel ? ports.writers[channel.type] : undefined;
  const tokenRef = channel?.connection?.tokenRef;
  if (!channel || !writer || !tokenRef) return 'not-connected';
  const token = await ports.secrets.get(tokenRef);
  if (!token) return 'not-connected';
  const owner = ports.newOwner();
  if (
    !(await ports.claims.claim(
      channel.channelId,
      shipment.shipmentId,
      owner,
      ports.clock().getTime(),
      ports.leaseMs,
    ))
  )
    return 'already';
  let reference: string;
  try {
    reference = await writer.confirm(channel, token, shipment);
  } catch (error) {
    await ports.claims.release(channel.channelId, shipment.shipmentId, owner);
    throw error instanceof ChannelCallFailed ? error : new ChannelCallFailed((error as Error).message);
  }
  await ports.claims.done(
    channel.channelId,
    shipment.shipmentId,
    owner,
    reference,
    ports.clock().toISOString(),
  );
  return 'confirmed';
}
