import { z } from 'zod';
import { defineEvent } from '#shared/events';

/**
 * A cycle count of one bin was submitted: every line counted, matching or not, with whether it
 * was within tolerance (the figures inventory accuracy is computed from). Once per task.
 */
export const CountSubmitted = defineEvent({
  source: 'qm.inbound',
  detailType: 'CountSubmitted',
  version: 1,
  data: z.object({
    taskId: z.string(),
    locationId: z.string(),
    binId: z.string(),
    lines: z.array(
      z.object({
        sku: z.string(),
        expected: z.number().int(),
        counted: z.number().int(),
        withinTolerance: z.boolean(),
      }),
    ),
    submittedAt: z.string(),
  }),
});
