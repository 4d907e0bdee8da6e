import { z } from 'zod';
import { defineEvent } from '#shared/events';

/**
 * A cycle count's variance is in the ledger: `quantityDelta` units of `sku` were added to
 * (positive) or written off from (negative) `binId` at `locationId`. `auto` when it was within
 * tolerance, else approved by `approvedBy` for `reason`. Finance posts the shrinkage or gain.
 */
export const CountVariancePosted = defineEvent({
  source: 'qm.inbound',
  detailType: 'CountVariancePosted',
  version: 1,
  data: z.object({
    varianceId: z.string(),
    taskId: z.string(),
    sku: z.string(),
    locationId: z.string(),
    binId: z.string(),
    quantityDelta: z.number().int(),
    expected: z.number().int(),
    counted: z.number().int(),
    reason: z.string(),
    auto: z.boolean(),
    approvedBy: z.string().optional(),
    postedAt: z.string(),
  }),
});
