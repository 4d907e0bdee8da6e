import { z } from 'zod';
import { httpHandler, ok } from '#shared/http';
import { AT_RISK_STATUSES } from '../adapters/order-queries.ts';
import { orderPorts } from '../adapters/wiring.ts';
import { locationId } from '../intake/schemas/channel.ts';

const { queries: orders } = orderPorts();

/** An order released to a node and not shipped within this long is "at risk" of going late. */
export const AT_RISK_AFTER_HOURS = 24;

const query = z.preprocess(
  (raw) =>
    raw && typeof raw === 'object'
      ? Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== ''))
      : raw,
  z.object({ locationId: locationId.optional() }),
);

/**
 * GET /api/orders/counts?locationId= → { counts: { <status>: n }, oldest: { <status>: placedAt },
 * atRisk: { count, statuses, olderThanHours, placedBefore }, truncated }: exact counts of every
 * work queue from the status index (Select COUNT, paged), for the Overview and the queue tabs.
 */
export const handler = httpHandler({ query }, async ({ query: q }) => {
  const placedBefore = new Date(Date.now() - AT_RISK_AFTER_HOURS * 3_600_000).toISOString();
  const result = await orders.counts({
    ...(q.locationId ? { locationId: q.locationId } : {}),
    atRiskBefore: placedBefore,
  });
  return ok({
    counts: result.counts,
    oldest: result.oldest,
    atRisk: {
      count: result.atRisk,
      statuses: AT_RISK_STATUSES,
      olderThanHours: AT_RISK_AFTER_HOURS,
      placedBefore,
    },
    truncated: result.truncated,
  });
});
