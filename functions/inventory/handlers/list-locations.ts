import { httpHandler, ok } from '#shared/http';
import { dynamoLocations } from '../adapters/dynamo-locations.ts';
import { locationView } from '../core/locations.ts';
import { listLocationsQuery } from '../schemas/browse.ts';

const locations = dynamoLocations();

/** GET /api/locations: the stocking locations in id order, paged by cursor. */
export const handler = httpHandler({ query: listLocationsQuery }, async ({ query }) => {
  const page = await locations.list(query.limit ?? 200, query.cursor);
  return ok({ items: page.items.map(locationView), ...(page.cursor ? { cursor: page.cursor } : {}) });
});
