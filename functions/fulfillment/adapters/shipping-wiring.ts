import { catalogReader } from '#catalog/api';
import { consumeReservationFromBins, moveBetweenBins, reservationOf, reservationTask } from '#inventory/api';
import { eventBridgePublisher } from '#shared/events';
import { sfnTaskTokens } from '#shared/task-tokens';
import type { ShippingInventory, ShippingPorts } from '../core/shipping-ports.ts';
import { dynamoShipmentStore } from './shipment-store.ts';
import { workflowSignals } from './workflow-signals.ts';

/** Inventory's published functions as pack, ship and cancel use them. */
function shippingInventory(): ShippingInventory {
  return {
    async consume(cmd, ctx) {
      const out = await consumeReservationFromBins(cmd, ctx);
      return { applied: out.applied };
    },
    async release(reservationId, reason, correlationId) {
      const answer = await reservationTask({ action: 'release', reservationId, reason, correlationId });
      if (answer.status === 'released' || answer.status === 'consumed' || answer.status === 'expired')
        return answer.status;
      if (answer.status === 'error' && answer.code === 'NOT_FOUND') return 'missing';
      if (answer.status === 'error' && answer.code === 'RESERVATION_CLOSED') {
        // Closed another way before: consumed means the parcel left first.
        const closed = await reservationOf(reservationId);
        if (closed?.status === 'consumed' || closed?.status === 'expired') return closed.status;
        if (closed?.status === 'released') return 'released';
      }
      throw new Error(`Reservation ${reservationId} could not be released: ${JSON.stringify(answer)}`);
    },
    moveBetweenBins: (cmd, ctx) => moveBetweenBins(cmd, ctx),
  };
}

/** The ports of pack, ship, the workflow's steps and cancellation. */
export function shippingPorts(): ShippingPorts {
  const shipments = dynamoShipmentStore();
  const tokens = sfnTaskTokens();
  const catalog = catalogReader();
  return {
    shipments,
    inventory: shippingInventory(),
    async barcodes(skus) {
      const found = await catalog.getMany(skus);
      return new Map([...found].map(([sku, def]) => [sku, def.barcodes ?? []]));
    },
    tokens,
    signals: workflowSignals(shipments, tokens),
    events: eventBridgePublisher(),
    clock: () => new Date(),
  };
}
