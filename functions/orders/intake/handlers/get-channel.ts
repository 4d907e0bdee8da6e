import { z } from 'zod';
import { httpHandler, ok } from '#shared/http';
import { ChannelNotFound } from '../../errors.ts';
import { intakePorts } from '../adapters/wiring.ts';
import { channelView } from '../core/put-channel.ts';
import { channelId } from '../schemas/channel.ts';

const { channels } = intakePorts();

/** GET /api/channels/{channelId}: configuration, without the secret. */
export const handler = httpHandler({ params: z.object({ channelId }) }, async ({ params }) => {
  const channel = await channels.get(params.channelId);
  if (!channel) throw new ChannelNotFound(params.channelId);
  return ok(channelView(channel));
});
