import { z } from 'zod';
import { httpHandler, ok, requirePrincipal } from '#shared/http';
import { fulfillmentPorts } from '../adapters/wiring.ts';
import { nextTask, taskView } from '../core/picking.ts';

const ports = fulfillmentPorts();

/** GET /api/pick-tasks/next?waveId=: claims the caller's next task (200), or 204 when none is left. */
export const handler = httpHandler(
  { query: z.object({ waveId: z.string().min(1).max(128) }) },
  async ({ query, principal }) => {
    const task = await nextTask(ports, query.waveId, requirePrincipal(principal).username);
    return task ? ok(taskView(task)) : { status: 204 };
  },
);
