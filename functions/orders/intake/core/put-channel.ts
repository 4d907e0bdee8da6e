import { createEvent, type EventPublisher } from '#shared/events';
import type { SecretStore } from '#shared/secrets';
import { SecretRequired } from '../../errors.ts';
import { ChannelUpserted } from '../../events/channel-upserted.ts';
import type { Channel, PutChannelBody, StoredConnection } from '../schemas/channel.ts';

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
/** The SecretStore name of a channel's API access token (connectors read it by this name). */
export const accessTokenName = (channelId: string) => `channels/${channelId}/api-token`;

/** What clients see of a channel: never the secret, not even where it is kept. */
export function channelView(channel: Channel) {
  const { secretRef, connection, ...rest } = channel;
  const view = { ...rest, hasSecret: Boolean(secretRef) };
  if (!connection) return view;
  const { tokenRef, tokenUpdatedAt: _t, ...visible } = connection;
  return { ...view, connection: { ...visible, hasAccessToken: Boolean(tokenRef) } };
}

/**
 * The stored connection: the token (when given) goes to the SecretStore, an omitted token keeps
 * the one stored, and an omitted connection keeps the previous one whole (like the secret).
 */
async function storedConnection(
  ports: PutChannelPorts,
  channelId: string,
  body: PutChannelBody['connection'],
  previous: Channel['connection'],
  now: string,
): Promise<StoredConnection | undefined> {
  if (!body) return previous;
  const { accessToken, lwaClientId, lwaClientSecret, refreshToken, ...config } = body;
  // Amazon's LWA credentials are one secret (a JSON document) under the same name as a token:
  // connectors read `tokenRef` alike for every channel type.
  const secret =
    lwaClientId !== undefined && lwaClientSecret !== undefined && refreshToken !== undefined
      ? JSON.stringify({ lwaClientId, lwaClientSecret, refreshToken })
      : accessToken;
  let tokenRef = previous?.tokenRef;
  let tokenUpdatedAt = previous?.tokenUpdatedAt;
  if (secret !== undefined) {
    tokenRef = accessTokenName(channelId);
    await ports.secrets.put(tokenRef, secret);
    tokenUpdatedAt = now;
  }
  return { ...config, ...(tokenRef ? { tokenRef } : {}), ...(tokenUpdatedAt ? { tokenUpdatedAt } : {}) };
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
  const { secret: _secret, connection: _connection, ...config } = body;
  const connection = await storedConnection(ports, channelId, body.connection, previous?.connection, now);
  const channel: Channel = {
    channelId,
    ...config,
    locationIds: [...config.locationIds],
    ...(secretRef ? { secretRef } : {}),
    ...(secretUpdatedAt ? { secretUpdatedAt } : {}),
    ...(connection ? { connection } : {}),
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
