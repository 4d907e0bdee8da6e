import { z } from 'zod';
import { eventBridgePublisher } from '#shared/events';
import { created, httpHandler, ok } from '#shared/http';
import { secretStore } from '#shared/secrets';
import { dynamoChannelStore } from '../adapters/channel-store.ts';
import { channelView, putChannel } from '../core/put-channel.ts';
import { channelId, putChannelBody } from '../schemas/channel.ts';

const ports = {
  channels: dynamoChannelStore(),
  secrets: secretStore(),
  events: eventBridgePublisher(),
  clock: () => new Date(),
};

/** PUT /api/channels/{channelId}: channel configuration; the secret goes to the SecretStore. */
export const handler = httpHandler(
  { params: z.object({ channelId }), body: putChannelBody },
  async ({ params, body, correlationId }) => {
    const result = await putChannel(ports, params.channelId, body, correlationId);
    return result.created ? created(channelView(result.channel)) : ok(channelView(result.channel));
  },
);
