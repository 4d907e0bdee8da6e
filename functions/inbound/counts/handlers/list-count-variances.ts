import { z } from 'zod';
import { httpHandler, ok } from '#shared/http';
import { countPorts } from '../adapters/wiring.ts';
import { listVariances } from '../core/counts.ts';
import { VARIANCE_STATUSES } from '../schemas.ts';

const ports = countPorts();

/** GET /api/count-variances?status=pending (default) → `{ items }`, oldest count first. */
export const handler = httpHandler(
  { query: z.object({ status: z.enum(VARIANCE_STATUSES).optional() }) },
  async ({ query }) => ok(await listVariances(ports, query.status ?? 'pending')),
);
