import { z } from 'zod';
import { httpHandler, ok } from '#shared/http';
import { entityId } from '../../schemas/inbound.ts';
import { countPorts } from '../adapters/wiring.ts';
import { openCountTasks } from '../core/counts.ts';

const ports = countPorts();

/** GET /api/count-tasks?locationId= → `{ items }`: open tasks in walk order, blind like one task. */
export const handler = httpHandler({ query: z.object({ locationId: entityId }) }, async ({ query }) =>
  ok(await openCountTasks(ports, query.locationId)),
);
