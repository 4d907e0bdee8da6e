import { z } from 'zod';
import { httpHandler, ok } from '#shared/http';
import { fulfillmentPorts } from '../adapters/wiring.ts';
import { WAVE_STATUSES } from '../schemas/fulfillment.ts';
import { waveSummary } from '../views/fulfillment-views.ts';

const ports = fulfillmentPorts();

/** GET /api/waves?locationId=&status=: a location's waves, newest first. */
export const handler = httpHandler(
  {
    query: z.object({
      locationId: z.string().min(1).max(64),
      status: z.enum(WAVE_STATUSES).optional(),
      limit: z.coerce.number().int().min(1).max(500).default(50),
      cursor: z.string().max(2000).optional(),
    }),
  },
  async ({ query }) => {
    const page = await ports.store.wavesAt(query.locationId, query.limit, query.cursor);
    const items = page.items.filter((w) => !query.status || w.status === query.status).map(waveSummary);
    return ok({ items, ...(page.cursor ? { nextCursor: page.cursor } : {}) });
  },
);
