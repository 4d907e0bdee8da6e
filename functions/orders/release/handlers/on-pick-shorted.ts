import { PickShorted } from '#fulfillment/api';
import { eventHandler } from '#shared/event-handler';
import { logger } from '#shared/powertools';
import { releasePorts } from '../adapters/wiring.ts';
import { releaseShortPick } from '../core/short-pick-release.ts';

const ports = releasePorts();

/**
 * PickShorted → the short units go back through release: another node with a new reservation
 * (OrderReleased for that part), else the backorder queue. Once per fulfillment × pick task
 * (the order records the event's key with its round before anything is reserved).
 */
export const handler = eventHandler(
  'order-release-pick-shorted',
  async (event) => {
    const shorted = PickShorted.data.parse(event.detail.data);
    const outcome = await releaseShortPick(ports, shorted, {
      correlationId: event.detail.metadata.correlationId,
    });
    logger.info('Short pick placed again', { orderId: shorted.orderId, taskId: shorted.taskId, ...outcome });
  },
  { idempotent: false },
);
