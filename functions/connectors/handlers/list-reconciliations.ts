import { httpHandler, ok } from '#shared/http';
import { threePLPorts } from '../adapters/threepl-wiring.ts';
import { listReconciliationsQuery } from '../schemas/threepl.ts';

const { reconciliations } = threePLPorts();

/** GET /api/reconciliations?locationId=&status=: 3PL reconciliations, newest first, paged. */
export const handler = httpHandler({ query: listReconciliationsQuery }, async ({ query }) => {
  const page = await reconciliations.list(
    {
      ...(query.locationId ? { locationId: query.locationId } : {}),
      ...(query.status ? { status: query.status } : {}),
    },
    query.limit ?? 50,
    query.cursor,
  );
  return ok({ items: page.items, ...(page.cursor ? { cursor: page.cursor } : {}) });
});
