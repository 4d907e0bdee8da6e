import { z } from 'zod';
import { defineEvent } from '#shared/events';

/** Someone asked for a planning run (POST /api/planning/runs); the run function runs it. */
export const PlanningRunRequested = defineEvent({
  source: 'qm.planning',
  detailType: 'PlanningRunRequested',
  version: 1,
  data: z.object({
    runId: z.string(),
    asOf: z.string(),
    horizonDays: z.number().int(),
    requestedBy: z.string(),
  }),
});
