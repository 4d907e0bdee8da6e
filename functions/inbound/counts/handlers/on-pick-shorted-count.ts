import { PickShorted } from '#fulfillment/api';
import { eventHandler } from '#shared/event-handler';
import { countPorts } from '../adapters/wiring.ts';
import { countAfterShortPick } from '../core/counts.ts';

const ports = countPorts();

/**
 * A short pick that put the bin's count in doubt (`countRequested`) raises a count task for the
 * bin, unless it has an open one already.
 */
export const handler = eventHandler(
  'inbound-count-on-pick-shorted',
  async (event) => {
    const data = PickShorted.data.parse(event.detail.data);
    if (!data.countRequested) return;
    await countAfterShortPick(
      ports,
      {
        locationId: data.locationId,
        binId: data.binId,
        note: `short pick of ${data.lines.map((l) => `${l.quantity} × ${l.sku}`).join(', ')} (task ${data.taskId})`,
      },
      { actor: 'system:short-pick', correlationId: event.detail.metadata.correlationId },
    );
  },
  // Idempotent by construction: the bin's open task is found again on a redelivery.
  { idempotent: false },
);
