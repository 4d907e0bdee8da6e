import { z } from 'zod';
import { defineEvent } from '#shared/events';
import { DISPOSITIONS } from '../schemas/returns.ts';

/** One inspection of a return: units out of returnedPending, each line one ledger movement. */
export const ReturnDispositioned = defineEvent({
  source: 'qm.returns',
  detailType: 'ReturnDispositioned',
  version: 1,
  data: z.object({
    returnId: z.string(),
    orderId: z.string(),
    inspectionId: z.string(),
    locationId: z.string(),
    lines: z.array(
      z.object({ sku: z.string(), quantity: z.number().int().positive(), disposition: z.enum(DISPOSITIONS) }),
    ),
    /** True when every received unit of the return now has a disposition. */
    complete: z.boolean(),
    at: z.string().datetime(),
  }),
});
