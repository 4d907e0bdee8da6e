import { z } from 'zod';
import { httpHandler, ok } from '#shared/http';
import { putawayPorts } from '../adapters/wiring.ts';
import { openPutawayTasks } from '../core/putaway.ts';
import { entityId } from '../schemas/inbound.ts';

const ports = putawayPorts();

/**
 * GET /api/putaway-tasks?locationId= → `{ items: [{ taskId, sku, quantity, suggestedBinId }] }`:
 * the location's open tasks, oldest first, each with a bin suggested from the current bin stock.
 */
export const handler = httpHandler({ query: z.object({ locationId: entityId }) }, async ({ query }) =>
  ok(await openPutawayTasks(ports, query.locationId)),
);
