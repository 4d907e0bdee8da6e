import { z } from 'zod';
import { created, httpHandler, ok } from '#shared/http';
import { intakePorts } from '../adapters/wiring.ts';
import { channelView, putChannel } from '../core/put-channel.ts';
import { channelId, putChannelBody } from '../schemas/channel.ts';

const ports = intakePorts();

/** PUT /api/channels/{channelId}: channel configuration; the secret goes to the SecretStore. */
export const handler = httpHandler(
  { params: z.object({ channelId }), body: putChannelBody },
  async ({ params, body, correlationId }) => {
    const result = await putChannel(ports, params.channelId, body, correlationId);
    return result.created ? created(channelView(result.channel)) : ok(channelView(result.channel));
  },
);
