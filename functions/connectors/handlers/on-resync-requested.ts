import { eventHandler } from '#shared/event-handler';
import { pushPorts } from '../adapters/wiring.ts';
import { drainPending } from '../core/push-stock.ts';
import { ChannelResyncRequested } from '../events/channel-sync.ts';

const ports = pushPorts();

/** A resync (asked for, or after a recovery): every pending SKU of the channel, in batches. */
export const handler = eventHandler(
  'connectors-on-resync-requested',
  async (event) => {
    const data = ChannelResyncRequested.data.parse(event.detail.data);
    await drainPending(ports, data.channelId);
  },
  { idempotent: false },
);
