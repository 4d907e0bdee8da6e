import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { eventHandler } from '#shared/event-handler';
import { releasePorts } from '../adapters/wiring.ts';
import { retryBackorders } from '../core/backorder-queue.ts';

const ports = releasePorts();

/** The SKU(s) whose stock may have come back, from any of the arrival events the rules route here. */
const arrival = z.union([
  z.object({ sku: z.string() }),
  z.object({ allocations: z.array(z.object({ sku: z.string() })) }),
]);

/**
 * StockReceived, StockAdjusted (positive), ReservationReleased → retry the backorders of the SKU
 * and of the kits it is a component of,
 * oldest first by channel priority, one run per SKU at a time (see retryBackorders).
 */
export const handler = eventHandler(
  'order-release-backorder-retry',
  async (event) => {
    const data = arrival.parse(event.detail.data);
    const arrived = 'sku' in data ? [data.sku] : [...new Set(data.allocations.map((a) => a.sku))];
    // A component coming back may complete a kit: the kits built from it have queues too.
    const kits = (await Promise.all(arrived.map((sku) => ports.kitsContaining(sku)))).flat();
    for (const sku of new Set([...arrived, ...kits])) {
      await retryBackorders(ports, sku, `event:${event.id}:${randomUUID()}`, {
        correlationId: event.detail.metadata.correlationId,
      });
    }
  },
  // A repeated run finds nothing more to do: released orders have left the queue.
  { idempotent: false },
);
