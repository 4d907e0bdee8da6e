import { z } from 'zod';
import { httpHandler, ok } from '#shared/http';
import { dynamoTransferStore } from '../adapters/transfer-store.ts';
import { TRANSFER_STATUSES } from '../schemas/transfers.ts';
import { transferView } from '../views/transfer-views.ts';

const store = dynamoTransferStore();

/** GET /api/transfers?status=: transfers in a status (`shipped`, i.e. in transit, unless named), newest first, paged. */
export const handler = httpHandler(
  {
    query: z.object({
      status: z.enum(TRANSFER_STATUSES).default('shipped'),
      limit: z.coerce.number().int().min(1).max(200).default(50),
      cursor: z.string().max(2000).optional(),
    }),
  },
  async ({ query }) => {
    const page = await store.list(query.status, query.limit, query.cursor);
    return ok({ items: page.items.map(transferView), ...(page.cursor ? { nextCursor: page.cursor } : {}) });
  },
);
