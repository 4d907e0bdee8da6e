import { z } from 'zod';
import { httpHandler, ok } from '#shared/http';
import { entityId } from '../../schemas/inbound.ts';
import { countPorts } from '../adapters/wiring.ts';
import { getCountTask } from '../core/counts.ts';

const ports = countPorts();

/** GET /api/count-tasks/{taskId}: the task as a counter sees it — never the expected units. */
export const handler = httpHandler({ params: z.object({ taskId: entityId }) }, async ({ params }) =>
  ok(await getCountTask(ports, params.taskId)),
);
