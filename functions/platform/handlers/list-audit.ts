import { z } from 'zod';
import { ValidationFailed } from '#shared/errors';
import { httpHandler, ok } from '#shared/http';
import { platformPorts } from '../adapters/wiring.ts';

const { audit: log } = platformPorts();
const MAX_RANGE_DAYS = 92;

const query = z.object({
  from: z.string().datetime({ offset: true }).optional(),
  to: z.string().datetime({ offset: true }).optional(),
  actor: z.string().min(1).optional(),
  action: z
    .string()
    .regex(/^(GET|POST|PUT|PATCH|DELETE) \//, 'a route key such as "POST /api/inventory/adjustments"')
    .optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().optional(),
});

/** GET /api/audit: who did what and when, newest first, filterable by actor, action and time. */
export const handler = httpHandler({ query }, async ({ query: q }) => {
  const to = new Date(q.to ?? Date.now()).toISOString();
  const from = new Date(q.from ?? Date.parse(to) - 7 * 86_400_000).toISOString();
  if (Date.parse(to) - Date.parse(from) > MAX_RANGE_DAYS * 86_400_000 || from > to) {
    throw new ValidationFailed('from must be before to, at most 92 days apart', [
      { field: 'query.from', message: 'range' },
    ]);
  }
  const cursor = q.cursor ? JSON.parse(Buffer.from(q.cursor, 'base64url').toString('utf8')) : undefined;
  const page = await log.list({ from, to, actor: q.actor, action: q.action, limit: q.limit, cursor });
  return ok({
    items: page.items,
    ...(page.next ? { nextCursor: Buffer.from(JSON.stringify(page.next)).toString('base64url') } : {}),
  });
});
