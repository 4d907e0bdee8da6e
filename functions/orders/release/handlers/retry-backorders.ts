import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { eventHandler } from '#shared/event-handler';
import { releasePorts } from '../adapters/wiring.ts';
import { retryBackorders } from '../core/release-flow.ts';

const ports = releasePorts();

/** The SKU(s) whose stock may have come back, from any of the arrival events the rules route here. */
const arrival = z.union([
  z.object({ sku: z.string() }),
  z.object({ allocations: z.array(z.object({ sku: z.string() })) }),
]);

/**
 * StockReceived, StockAdjusted (positive), ReservationReleased → retry the SKU's backorders,
 * oldest first by channel priority, one run per SKU at a time (see retryBackorders).
 */
export const handler = eventHandler(
  'order-release-backorder-retry',
  async (event) => {
    const data = arrival.parse(event.detail.data);
    const skus = 'sku' in data ? [data.sku] : [...new Set(data.allocations.map((a) => a.sku))];
    for (const sku of skus) {
      await retryBackorders(ports, sku, `event:${event.id}:${randomUUID()}`, {
        correlationId: event.detail.metadata.correlationId,
      });
    }
  },
  // A repeated run finds nothing more to do: released orders have left the queue.
  { idempotent: false },
);
