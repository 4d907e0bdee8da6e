import { z } from 'zod';
import { defineEvent } from '#shared/events';
import { CHANNEL_TYPES, exposureRule } from '../intake/schemas/channel.ts';

/**
 * A channel was created or its configuration changed. Inventory recomputes per-channel
 * availability from it. Never carries the secret (nor its reference).
 */
export const ChannelUpserted = defineEvent({
  source: 'qm.orders',
  detailType: 'ChannelUpserted',
  version: 1,
  data: z.object({
    channelId: z.string(),
    type: z.enum(CHANNEL_TYPES),
    locationIds: z.array(z.string()),
    exposure: exposureRule.optional(),
    priority: z.number().int().optional(),
    fraudThreshold: z.number().optional(),
    allowSplit: z.boolean().optional(),
    createdAt: z.string(),
    updatedAt: z.string(),
  }),
});
