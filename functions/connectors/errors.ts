import { Conflict, NotFound } from '#shared/errors';

export class ChannelNotFound extends NotFound {
  constructor(channelId: string) {
    super('Channel', channelId);
  }
}

/** The channel has no connection we can push with (no token, no API origin, or a type we do not write). */
export class ChannelNotConnected extends Conflict {
  constructor(channelId: string, why: string) {
    super('CHANNEL_NOT_CONNECTED', `Channel ${channelId} cannot be synced: ${why}`, { channelId });
  }
}
