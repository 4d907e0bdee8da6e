import { pushPorts } from '../adapters/wiring.ts';
import { drainPending } from '../core/push-stock.ts';

const ports = pushPorts();

/**
 * Schedule: pushes whatever is still pending — SKUs a failing channel refused (this is how a
 * degraded channel is found to have recovered) and pushes whose function died mid-way (their
 * lease expires). Channels one after another; a channel's failure does not stop the others.
 */
export async function handler(): Promise<{ channels: number; pushed: number; failed: number }> {
  const channels = await ports.sync.pendingChannels();
  let pushed = 0;
  let failed = 0;
  for (const channelId of channels) {
    const out = await drainPending(ports, channelId);
    pushed += out.pushed;
    failed += out.failed;
  }
  return { channels: channels.length, pushed, failed };
}
