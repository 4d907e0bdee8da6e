import { InventoryMismatchDetected } from '#inventory/api';
import { eventHandler } from '#shared/event-handler';
import { countPorts } from '../adapters/wiring.ts';
import { countAfterMismatch } from '../core/counts.ts';

const ports = countPorts();

/**
 * The invariant checker found a position in doubt: the bins holding the SKU at the location get
 * a count task each (a bin's open task absorbs the checker's repeats every 15 minutes).
 */
export const handler = eventHandler(
  'inbound-count-on-mismatch',
  async (event) => {
    const data = InventoryMismatchDetected.data.parse(event.detail.data);
    await countAfterMismatch(
      ports,
      {
        sku: data.sku,
        locationId: data.locationId,
        note: `inventory check: invariant ${data.invariant} (${data.problem})`.slice(0, 200),
      },
      { actor: 'system:inventory-check', correlationId: event.detail.metadata.correlationId },
    );
  },
  // Idempotent by construction: a bin's open task is found again on a redelivery.
  { idempotent: false },
);
