import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ShipmentClaims } from '../core/ship-to-channel.ts';
import { connectorKeys } from '../keys.ts';
import { leasedClaims } from './leased-claims.ts';

/** One item per channel × shipment: `claimed` (with a lease) → `done` (with the channel's reference). */
export function dynamoShipmentClaims(db: DynamoDBDocumentClient, table: string): ShipmentClaims {
  const claims = leasedClaims(db, table);
  return {
    claim: (channelId, shipmentId, owner, nowMs, leaseMs) =>
      claims.take(
        connectorKeys.shipment(channelId, shipmentId),
        { entity: 'ChannelShipment', channelId, shipmentId },
        owner,
        nowMs,
        leaseMs,
      ),
    done: (channelId, shipmentId, owner, reference, at) =>
      claims.settle(connectorKeys.shipment(channelId, shipmentId), owner, 'done', {
        reference,
        confirmedAt: at,
      }),
    release: (channelId, shipmentId, owner) =>
      claims.release(connectorKeys.shipment(channelId, shipmentId), owner),
  };
}
