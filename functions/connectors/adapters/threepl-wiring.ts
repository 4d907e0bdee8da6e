import { randomUUID } from 'node:crypto';
import { adjustCountedStock, locationOf, positionsAt, reservationTask } from '#inventory/api';
import { documentClient } from '#shared/clients';
import { eventBridgePublisher } from '#shared/events';
import { secretStore } from '#shared/secrets';
import { tableName } from '#shared/table';
import type { ThreePLPorts } from '../core/threepl-ports.ts';
import { genericThreePLClient, shipBobClient } from './threepl-clients.ts';
import { dynamoReconciliations, dynamoThreePLOrders, dynamoWebhookLog } from './threepl-store.ts';
import { retryPolicy } from './wiring.ts';

/** A 3PL node keeps its units in the RECEIVING bin (it has no bins of ours). */
const THREE_PL_BIN = 'RECEIVING';

/** The 3PL hand-off, webhooks and reconciliation wired to the table, inventory, the 3PLs' APIs and the bus. */
export function threePLPorts(): ThreePLPorts {
  const db = documentClient();
  const table = tableName();
  const policy = retryPolicy();
  return {
    orders: dynamoThreePLOrders(db, table),
    webhooks: dynamoWebhookLog(db, table),
    reconciliations: dynamoReconciliations(db, table),
    locations: { get: locationOf },
    secrets: secretStore(),
    clients: { generic: genericThreePLClient(policy), shipbob: shipBobClient(policy) },
    inventory: {
      async consume(reservationId, correlationId) {
        const answer = await reservationTask({
          action: 'consume',
          reservationId,
          reason: '3PL shipment',
          correlationId,
        });
        if (answer.status === 'consumed') return 'consumed';
        if (answer.status === 'error' && answer.code === 'RESERVATION_CLOSED') return 'closed';
        throw new Error(`Reservation ${reservationId} could not be consumed: ${JSON.stringify(answer)}`);
      },
      positionsAt,
      async adjust(cmd, ctx) {
        await adjustCountedStock({ ...cmd, binId: THREE_PL_BIN }, ctx);
      },
    },
    events: eventBridgePublisher(),
    clock: () => new Date(),
    newOwner: randomUUID,
    // Longer than a call's retry deadline: a claim is never taken over while its call may still land.
    leaseMs: 60_000,
    shipmentWaitMs: 5_000,
  };
}
