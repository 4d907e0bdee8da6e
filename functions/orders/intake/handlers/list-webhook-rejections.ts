import { z } from 'zod';
import { httpHandler, ok } from '#shared/http';
import { intakePorts } from '../adapters/wiring.ts';

const { rejections } = intakePorts();

const query = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().optional(),
});

/** GET /api/intake/rejections: webhooks that failed verification (newest first) and counts per day. */
export const handler = httpHandler({ query }, async ({ query: q }) => {
  const [page, counts] = await Promise.all([rejections.list(q.limit, q.cursor), rejections.counts()]);
  return ok({ ...page, counts });
});
