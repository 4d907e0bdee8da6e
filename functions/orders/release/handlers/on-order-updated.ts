import { eventHandler } from '#shared/event-handler';
import { OrderUpdated } from '../../events/order-updated.ts';
import { releasePorts } from '../adapters/wiring.ts';
import { applyOrderUpdate } from '../core/order-changes.ts';

const ports = releasePorts();

/** OrderUpdated: a paid update clears a payment hold; a change after allocation raises an exception. */
export const handler = eventHandler(
  'order-release-updated',
  async (event) => {
    const update = OrderUpdated.data.parse(event.detail.data);
    await applyOrderUpdate(ports, update, { correlationId: event.detail.metadata.correlationId });
  },
  // Idempotent by nature (see applyOrderUpdate).
  { idempotent: false },
);
