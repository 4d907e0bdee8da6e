import type { PushPorts } from './ports.ts';

/** GET /api/channels/{channelId}/sync: what ops needs to trust (or doubt) the channel's numbers. */
export async function syncStatus(ports: Pick<PushPorts, 'sync'>, channelId: string) {
  const [health, pending] = await Promise.all([ports.sync.health(channelId), ports.sync.pending(channelId)]);
  return {
    channelId,
    state: health.state,
    lastPushAt: health.lastPushAt ?? null,
    pending: pending.length,
    consecutiveFailures: health.consecutiveFailures,
    failingSince: health.failingSince ?? null,
    degradedAt: health.degradedAt ?? null,
    recentFailures: health.recentFailures,
  };
}
export type SyncStatus = Awaited<ReturnType<typeof syncStatus>>;
