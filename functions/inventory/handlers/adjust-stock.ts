import { eventBridgePublisher } from '#shared/events';
import { created, httpHandler, ok, requirePrincipal } from '#shared/http';
import { dynamoStockStore } from '../adapters/stock-store.ts';
import { adjustStock } from '../core/adjust-stock.ts';
import { adjustmentBody } from '../schemas/stock.ts';

const ports = { store: dynamoStockStore(), events: eventBridgePublisher(), clock: () => new Date() };

export const handler = httpHandler({ body: adjustmentBody }, async ({ body, principal, correlationId }) => {
  const actor = requirePrincipal(principal).username;
  const result = await adjustStock(ports, body, { actor, correlationId });
  const view = { movement: result.movement, position: result.position };
  // A repeat of an earlier request answers 200 with the first outcome instead of 201.
  return result.applied ? created(view) : ok(view);
});
