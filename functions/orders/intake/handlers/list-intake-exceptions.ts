import { z } from 'zod';
import { httpHandler, ok } from '#shared/http';
import { intakePorts } from '../adapters/wiring.ts';
import type { IntakeException } from '../core/intake-records.ts';
import { channelId } from '../schemas/channel.ts';

const { store } = intakePorts();

const query = z.object({
  status: z.enum(['open', 'resolved']).default('open'),
  channelId: channelId.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().optional(),
});

/** An exception as ops see it: the raw body, and the reason in one line besides its parts. */
const exceptionView = (e: IntakeException) => ({ ...e, reason: `${e.code}: ${e.message}` });

/** GET /api/intake/exceptions: newest first, each with its raw body and reason. */
export const handler = httpHandler({ query }, async ({ query: q }) => {
  const page = await store.listExceptions({
    status: q.status,
    limit: q.limit,
    ...(q.channelId ? { channelId: q.channelId } : {}),
    ...(q.cursor ? { cursor: q.cursor } : {}),
  });
  return ok({ ...page, items: page.items.map(exceptionView) });
});
