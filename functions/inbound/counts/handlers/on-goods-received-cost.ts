import { eventHandler } from '#shared/event-handler';
import { GoodsReceived } from '../../events/goods-received.ts';
import { dynamoCountStore } from '../adapters/count-store.ts';

const store = dynamoCountStore();

/** Keeps each SKU's last received unit cost: the value side of the ABC classes' value velocity. */
export const handler = eventHandler(
  'inbound-count-unit-cost',
  async (event) => {
    const data = GoodsReceived.data.parse(event.detail.data);
    await store.recordCost(data.sku, data.unitCostMinor, data.currency, data.receivedAt);
  },
  // Idempotent by construction: a put that keeps the latest receipt.
  { idempotent: false },
);
