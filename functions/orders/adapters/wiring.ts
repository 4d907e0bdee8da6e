import { eventBridgePublisher } from '#shared/events';
import { dynamoOrderQueries } from './order-queries.ts';

/** The order record's ports (queries, the outbox publisher); each handler calls this once at module scope. */
export function orderPorts() {
  return { queries: dynamoOrderQueries(), events: eventBridgePublisher() };
}
