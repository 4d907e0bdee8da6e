import { httpHandler, ok } from '#shared/http';
import { dynamoReturnStore } from '../adapters/return-store.ts';
import { listReturns } from '../core/returns.ts';
import { listQuery, RETURN_STATUSES } from '../schemas/returns.ts';

const store = dynamoReturnStore();

/** GET /api/returns?status=&orderId= → { items } newest first. */
export const handler = httpHandler({ query: listQuery }, async ({ query }) =>
  ok({ items: await listReturns({ store }, query, RETURN_STATUSES) }),
);
