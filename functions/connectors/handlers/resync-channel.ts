import { channelOf } from '#orders/api';
import { accepted, httpHandler } from '#shared/http';
import { pushPorts } from '../adapters/wiring.ts';
import { requestResync } from '../core/push-stock.ts';
import { ChannelNotConnected, ChannelNotFound } from '../errors.ts';
import { channelParams } from '../schemas/params.ts';

const ports = pushPorts();

/**
 * POST /api/channels/{channelId}/resync: every SKU with a number on the channel is marked pending
 * and pushed in the background (202); asking again only marks them again.
 */
export const handler = httpHandler({ params: channelParams }, async ({ params, correlationId }) => {
  const channel = await channelOf(params.channelId);
  if (!channel) throw new ChannelNotFound(params.channelId);
  if (!ports.writers[channel.type])
    throw new ChannelNotConnected(channel.channelId, `${channel.type} stock is not written yet`);
  if (!channel.connection?.tokenRef) throw new ChannelNotConnected(channel.channelId, 'no access token');
  const { skus } = await requestResync(ports, channel.channelId, 'requested', correlationId);
  return accepted({ channelId: channel.channelId, skus });
});
