import { z } from 'zod';
import { eventHandler } from '#shared/event-handler';
import { inventoryPorts } from '../adapters/wiring.ts';
import { recomputeForChannel } from '../core/recompute.ts';

const ports = inventoryPorts();
const data = z.object({ channelId: z.string().min(1) });

/** ChannelUpserted (qm.orders): the channel's locations or exposure rule may have changed. */
export const handler = eventHandler(
  'inventory-channel-upserted',
  async (event) => {
    const { channelId } = data.parse(event.detail.data);
    await recomputeForChannel(ports, channelId, event.detail.metadata.correlationId);
  },
  // A recompute is idempotent by nature: a repeat finds the numbers already announced.
  { idempotent: false },
);
