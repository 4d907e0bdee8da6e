import { z } from 'zod';
import { httpHandler, ok } from '#shared/http';
import { entityId } from '../../schemas/inbound.ts';
import { countPorts } from '../adapters/wiring.ts';
import { countAccuracy } from '../core/counts.ts';

const ports = countPorts();

/**
 * GET /api/count-accuracy?locationId=&days=90 → `{ counted, withinTolerance, exact, accuracy,
 * byClass: { A, B, C } }` from the counts submitted at the location in the last `days`.
 */
export const handler = httpHandler(
  { query: z.object({ locationId: entityId, days: z.coerce.number().int().min(1).max(3660).optional() }) },
  async ({ query }) => ok(await countAccuracy(ports, query.locationId, query.days ?? 90)),
);
