import { channelOf } from '#orders/api';
import { httpHandler, ok } from '#shared/http';
import { pushPorts } from '../adapters/wiring.ts';
import { syncStatus } from '../core/sync-status.ts';
import { ChannelNotFound } from '../errors.ts';
import { channelParams } from '../schemas/params.ts';

const ports = pushPorts();

/** GET /api/channels/{channelId}/sync: healthy/degraded, last push, pending pushes, recent failures. */
export const handler = httpHandler({ params: channelParams }, async ({ params }) => {
  if (!(await channelOf(params.channelId))) throw new ChannelNotFound(params.channelId);
  return ok(await syncStatus(ports, params.channelId));
});
