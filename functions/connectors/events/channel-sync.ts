import { z } from 'zod';
import { defineEvent } from '#shared/events';

/** A channel kept refusing stock pushes: our numbers are not reaching it (an alert for ops). */
export const ChannelSyncDegraded = defineEvent({
  source: 'qm.connectors',
  detailType: 'ChannelSyncDegraded',
  version: 1,
  data: z.object({
    channelId: z.string(),
    failingSince: z.string(),
    consecutiveFailures: z.number().int().positive(),
    lastError: z.string(),
    at: z.string(),
  }),
});

/** A degraded channel took a push again; a full resync follows. */
export const ChannelSyncRecovered = defineEvent({
  source: 'qm.connectors',
  detailType: 'ChannelSyncRecovered',
  version: 1,
  data: z.object({ channelId: z.string(), degradedAt: z.string(), at: z.string() }),
});

/** Every SKU of the channel is to be pushed again (on demand, or after a recovery). */
export const ChannelResyncRequested = defineEvent({
  source: 'qm.connectors',
  detailType: 'ChannelResyncRequested',
  version: 1,
  data: z.object({
    channelId: z.string(),
    reason: z.enum(['requested', 'recovered']),
    skus: z.number().int().nonnegative(),
    at: z.string(),
  }),
});
