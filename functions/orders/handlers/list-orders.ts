import { z } from 'zod';
import { httpHandler, ok } from '#shared/http';
import { AT_RISK_STATUSES } from '../adapters/order-queries.ts';
import { orderPorts } from '../adapters/wiring.ts';
import { ORDER_STATUSES, orderSummary, orderView } from '../core/order-view.ts';
import { channelId, locationId } from '../intake/schemas/channel.ts';
import { AT_RISK_AFTER_HOURS } from './get-order-counts.ts';

const { queries: orders } = orderPorts();

/** An instant with an offset, or a UTC day (`from` is its start, `to` its end). */
const when = z.union([z.iso.datetime({ offset: true }), z.iso.date()], {
  error: 'an ISO-8601 instant (2026-11-20T10:00:00Z) or a date (2026-11-20)',
});
const instant = (value: string, end: boolean) =>
  new Date(value.length === 10 ? `${value}T${end ? '23:59:59.999' : '00:00:00.000'}Z` : value).toISOString();

const query = z.preprocess(
  // `?status=&channelId=` means no filter, not an empty one.
  (raw) =>
    raw && typeof raw === 'object'
      ? Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== ''))
      : raw,
  z
    .object({
      status: z.enum(ORDER_STATUSES).optional(),
      /** A queue across statuses: `at_risk` is released, picking or packed for over a day. */
      queue: z.enum(['at_risk']).optional(),
      channelId: channelId.optional(),
      externalId: z.string().min(1).max(200).optional(),
      locationId: locationId.optional(),
      from: when.optional(),
      to: when.optional(),
      limit: z.coerce.number().int().min(1).max(200).default(50),
      cursor: z.string().max(4096).optional(),
    })
    .transform((q) => ({
      ...q,
      ...(q.from ? { from: instant(q.from, false) } : {}),
      ...(q.to ? { to: instant(q.to, true) } : {}),
    }))
    .superRefine((q, ctx) => {
      if (q.externalId && !q.channelId) {
        ctx.addIssue({ code: 'custom', path: ['channelId'], message: 'required with externalId' });
      }
      if (q.from && q.to && q.from > q.to) {
        ctx.addIssue({ code: 'custom', path: ['to'], message: 'must not be before from' });
      }
    }),
);

/**
 * GET /api/orders?status=&queue=&channelId=&locationId=&from=&to=&cursor=&limit= → { items, cursor? }:
 * order summaries newest first, every filter optional. `?channelId=&externalId=` is the point
 * lookup of one channel order and answers `{ items: [order] }` with the whole order, as before.
 */
export const handler = httpHandler({ query }, async ({ query: q }) => {
  if (q.channelId && q.externalId) {
    const order = await orders.byExternalId(q.channelId, q.externalId);
    return ok({ items: order ? [orderView(order)] : [] });
  }
  const { cursor, limit, status, channelId: channel, locationId: location, from } = q;
  // The at-risk queue is its statuses placed before the threshold (a tighter `to` still applies).
  const riskBefore =
    q.queue === 'at_risk' ? new Date(Date.now() - AT_RISK_AFTER_HOURS * 3_600_000).toISOString() : undefined;
  const to = riskBefore && (!q.to || riskBefore < q.to) ? riskBefore : q.to;
  const page = await orders.list(
    {
      ...(status ? { status } : q.queue === 'at_risk' ? { statuses: AT_RISK_STATUSES, queue: q.queue } : {}),
      ...(channel ? { channelId: channel } : {}),
      ...(location ? { locationId: location } : {}),
      ...(from ? { from } : {}),
      ...(to ? { to } : {}),
    },
    limit,
    cursor,
  );
  const now = Date.now();
  return ok({ ...page, items: page.items.map((o) => orderSummary(o, now)) });
});
