import { DomainError } from '#shared/errors';
import { httpHandler } from '#shared/http';

/** A route the manifest gives this function but the router does not know: never served by a wrong handler. */
export const routeNotServed = httpHandler({}, async ({ event }) => {
  throw new DomainError(404, 'ROUTE_NOT_FOUND', `Route ${event.routeKey} is not served here`);
});
