import { ChannelAvailabilityChanged } from '#inventory/api';
import { eventHandler } from '#shared/event-handler';
import { pushPorts } from '../adapters/wiring.ts';
import { markAndPush } from '../core/push-stock.ts';

const ports = pushPorts();

/**
 * A channel's number for a SKU changed: push it. The event's own number is not sent — the push
 * reads the latest one after taking the SKU's lease, so late or reordered events never set a
 * stale number, and changes during a push are coalesced into the next.
 */
export const handler = eventHandler(
  'connectors-on-channel-availability-changed',
  async (event) => {
    const data = ChannelAvailabilityChanged.data.parse(event.detail.data);
    await markAndPush(ports, data.channel, [data.sku]);
  },
  // A repeat only marks one more version and pushes the current number again: harmless.
  { idempotent: false },
);
