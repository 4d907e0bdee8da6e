import { z } from 'zod';
import { httpHandler, ok } from '#shared/http';
import { intakePorts } from '../adapters/wiring.ts';
import { channelId } from '../schemas/channel.ts';

const { store } = intakePorts();

const query = z.object({
  status: z.enum(['open', 'resolved']).default('open'),
  channelId: channelId.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(2000).optional(),
});

/**
 * GET /api/intake/exceptions: summaries, newest first — reason, size and storage of the body, but
 * never the body itself (a page of large deliveries would pass Lambda's 6 MB response limit).
 * One exception with its body: GET /api/intake/exceptions/{id}.
 */
export const handler = httpHandler({ query }, async ({ query: q }) => {
  const page = await store.listExceptions({
    status: q.status,
    limit: q.limit,
    ...(q.channelId ? { channelId: q.channelId } : {}),
    ...(q.cursor ? { cursor: q.cursor } : {}),
  });
  return ok(page);
});
