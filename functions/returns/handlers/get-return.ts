import { httpHandler, ok } from '#shared/http';
import { dynamoReturnStore } from '../adapters/return-store.ts';
import { returnView } from '../core/returns.ts';
import { ReturnNotFound } from '../errors.ts';
import { returnIdParam } from '../schemas/returns.ts';

const store = dynamoReturnStore();

/** GET /api/returns/{id} */
export const handler = httpHandler({ params: returnIdParam }, async ({ params }) => {
  const r = await store.get(params.id);
  if (!r) throw new ReturnNotFound(params.id);
  return ok(returnView(r));
});
