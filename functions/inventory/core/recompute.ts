import type { ChannelPorts } from './channel-availability.ts';
import { recomputeChannelAvailability } from './channel-availability.ts';
import type { InventoryPorts } from './ports.ts';

type Ports = InventoryPorts & { channels: Omit<ChannelPorts, 'positions' | 'catalog' | 'clock'> };

const channelPorts = (ports: Ports): ChannelPorts => ({
  ...ports.channels,
  positions: ports.positions,
  catalog: ports.catalog,
  clock: ports.clock,
});

/**
 * A channel's configuration changed: recompute it for every SKU stocked at its locations and
 * every SKU it already shows a number for (a dropped location must bring those down).
 */
export async function recomputeForChannel(
  ports: Ports,
  channelId: string,
  correlationId: string,
): Promise<number> {
  const channel = (await ports.channels.channels.list({ fresh: true })).find(
    (c) => c.channelId === channelId,
  );
  const skus = new Set(await ports.channels.published.skusOf(channelId));
  for (const loc of channel?.locationIds ?? [])
    for (const sku of await ports.positions.skusAt(loc)) skus.add(sku);
  const events = await recomputeChannelAvailability(channelPorts(ports), skus, {
    channelIds: [channelId],
    fresh: true,
    correlationId,
  });
  if (events.length) await ports.events.publish(events);
  return events.length;
}

/** Some SKUs' definitions changed (a kit's components): recompute their channels. */
export async function recomputeForSkus(
  ports: Ports,
  skus: readonly string[],
  correlationId: string,
): Promise<number> {
  const events = await recomputeChannelAvailability(channelPorts(ports), skus, {
    fresh: true,
    correlationId,
  });
  if (events.length) await ports.events.publish(events);
  return events.length;
}
