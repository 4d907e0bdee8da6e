import { z } from 'zod';
import { eventHandler } from '#shared/event-handler';
import { inventoryPorts } from '../adapters/wiring.ts';
import { recomputeForSkus } from '../core/recompute.ts';

const ports = inventoryPorts();
const data = z.object({ sku: z.string().min(1) });

/** SkuUpserted (qm.catalog): a kit's components may have changed, and with them its availability. */
export const handler = eventHandler(
  'inventory-sku-upserted',
  async (event) => {
    const { sku } = data.parse(event.detail.data);
    await recomputeForSkus(ports, [sku], event.detail.metadata.correlationId);
  },
  // A recompute is idempotent by nature: a repeat finds the numbers already announced.
  { idempotent: false },
);
