import { ChannelUpserted } from '#orders/api';
import { eventHandler } from '#shared/event-handler';
import { inventoryPorts } from '../adapters/wiring.ts';
import { recomputeForChannel } from '../core/recompute.ts';

const ports = inventoryPorts();

/**
 * ChannelUpserted (qm.orders): keeps inventory's read model of the channel (locations, exposure
 * rule) and recomputes the channel's availability, since either may have changed.
 */
export const handler = eventHandler(
  'inventory-channel-upserted',
  async (event) => {
    const channel = ChannelUpserted.data.parse(event.detail.data);
    await ports.channels.channels.save({
      channelId: channel.channelId,
      locationIds: channel.locationIds,
      ...(channel.exposure ? { exposure: channel.exposure } : {}),
      updatedAt: channel.updatedAt,
    });
    await recomputeForChannel(ports, channel.channelId, event.detail.metadata.correlationId);
  },
  // Both steps are idempotent by nature: the same configuration stored again, a recompute that
  // finds the numbers already announced.
  { idempotent: false },
);
