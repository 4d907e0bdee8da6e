import { ThreePLOrderRequested } from '#orders/api';
import { eventHandler } from '#shared/event-handler';
import { logger } from '#shared/powertools';
import { threePLPorts } from '../adapters/threepl-wiring.ts';
import { handOff } from '../core/threepl-handoff.ts';

const ports = threePLPorts();

/**
 * ThreePLOrderRequested → the order created at the node's 3PL, once. The part's record and the
 * 3PL's dedupe by our reference, not the event id, make it once: the hand-off may be re-sent.
 */
export const handler = eventHandler(
  'connectors-on-three-pl-order-requested',
  async (event) => {
    const data = ThreePLOrderRequested.data.parse(event.detail.data);
    const outcome = await handOff(ports, data, event.detail.metadata.correlationId);
    if (outcome === 'not-connected') {
      logger.warn('3PL order not handed off: the location has no 3PL connection', {
        locationId: data.locationId,
        orderId: data.orderId,
      });
    }
  },
  { idempotent: false },
);
