import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { NotFound } from '#shared/errors';
import { httpHandler } from '#shared/http';

type Route = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

const unknownRoute = httpHandler({}, async ({ event }) => {
  throw new NotFound('Route', event.routeKey);
});

/**
 * One function for several small routes of the same kind (each still its own httpHandler, so
 * each is authorized, validated and audited as if it were alone): fewer functions per stack.
 */
export function byRoute(routes: Record<string, Route>): Route {
  return (event, context) => (routes[event.routeKey] ?? unknownRoute)(event, context);
}
