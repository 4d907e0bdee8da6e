import { createEvent, type EventPublisher } from '#shared/events';
import type { SecretStore } from '#shared/secrets';
import { SecretRequired } from '../../errors.ts';
import { ChannelUpserted } from '../../events/channel-upserted.ts';
import type { Channel, PutChannelBody } from '../schemas/channel.ts';

export interface ChannelRepository {
  get(channelId: string): Promise<Channel | undefined>;
  put(channel: Channel): Promise<void>;
}

export interface PutChannelPorts {
  channels: ChannelRepository;
  secrets: SecretStore;
  events: EventPublisher;
  clock: () => Date;
}

/** The SecretStore name of a channel's webhook secret; the channel item stores only this. */
export const webhookSecretName = (channelId: string) => `channels/${channelId}/webhook`;

/** What clients see of a channel: never the secret, not even where it is kept. */
export function channelView(channel: Channel) {
  const { secretRef, ...rest } = channel;
  return { ...rest, hasSecret: Boolean(secretRef) };
}

/**
 * Creates or replaces a channel's configuration.
 * 1. store the secret (when given) encrypted in the SecretStore; keep the existing one when omitted
 * 2. write the channel item with a reference to the secret
 * 3. publish ChannelUpserted (configuration only) for inventory's per-channel availability
 */
export async function putChannel(
  ports: PutChannelPorts,
  channelId: string,
  body: PutChannelBody,
  correlationId: string,
): Promise<{ channel: Channel; created: boolean }> {
  const previous = await ports.channels.get(channelId);
  const now = ports.clock().toISOString();
  let secretRef = previous?.secretRef;
  let secretUpdatedAt = previous?.secretUpdatedAt;
  if (body.secret !== undefined) {
    secretRef = webhookSecretName(channelId);
    await ports.secrets.put(secretRef, body.secret);
    secretUpdatedAt = now;
  } else if (body.type !== 'amazon' && !secretRef) {
    throw new SecretRequired(body.type);
  }
  const { secret: _secret, ...config } = body;
  const channel: Channel = {
    channelId,
    ...config,
    locationIds: [...config.locationIds],
    ...(secretRef ? { secretRef } : {}),
    ...(secretUpdatedAt ? { secretUpdatedAt } : {}),
    createdAt: previous?.createdAt ?? now,
    updatedAt: now,
  };
  await ports.channels.put(channel);
  await ports.events.publish([
    createEvent(
      ChannelUpserted,
      {
        channelId,
        type: channel.type,
        locationIds: channel.locationIds,
        ...(channel.exposure ? { exposure: channel.exposure } : {}),
        ...(channel.priority === undefined ? {} : { priority: channel.priority }),
        ...(channel.fraudThreshold === undefined ? {} : { fraudThreshold: channel.fraudThreshold }),
        ...(channel.allowSplit === undefined ? {} : { allowSplit: channel.allowSplit }),
        createdAt: channel.createdAt,
        updatedAt: channel.updatedAt,
      },
      { correlationId, now: ports.clock },
    ),
  ]);
  return { channel, created: !previous };
}
