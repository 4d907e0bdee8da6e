import { eventHandler } from '#shared/event-handler';
import { OrderReceived } from '../../events/order-received.ts';
import { releasePorts } from '../adapters/wiring.ts';
import { releaseFast } from '../core/fast-path.ts';

const ports = releasePorts();

/**
 * OrderReceived → the order released (or backordered) in this one invocation, from the event's
 * own copy of the order; only an order that gets a hold or fails starts the durable workflow.
 * Idempotent by order id (see releaseFast), so the bus may deliver the event more than once.
 */
export const handler = eventHandler(
  'order-release-fast',
  async (event) => {
    const order = OrderReceived.data.parse(event.detail.data);
    await releaseFast(ports, order, { correlationId: event.detail.metadata.correlationId });
  },
  { idempotent: false },
);
