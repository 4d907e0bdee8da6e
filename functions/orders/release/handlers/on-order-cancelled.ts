import { eventHandler } from '#shared/event-handler';
import { OrderCancelled } from '../../events/order-cancelled.ts';
import { releasePorts } from '../adapters/wiring.ts';
import { cancelOrder } from '../core/operator-commands.ts';

const ports = releasePorts();

/** The channel cancelled (intake's OrderCancelled): release whatever the order holds, once. */
export const handler = eventHandler(
  'order-release-on-cancelled',
  async (event) => {
    const data = OrderCancelled.data.parse(event.detail.data);
    await cancelOrder(
      ports,
      data.orderId,
      {
        source: 'channel',
        actor: `channel:${data.channelId}`,
        ...(data.reason ? { reason: data.reason } : {}),
      },
      { correlationId: event.detail.metadata.correlationId },
    );
  },
  // cancelOrder is idempotent by order (inventory releases each reservation once).
  { idempotent: false },
);
