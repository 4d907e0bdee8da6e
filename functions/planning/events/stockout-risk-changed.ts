import { z } from 'zod';
import { defineEvent } from '#shared/events';

/**
 * A planning run found that a SKU at a location became, or stopped being, at risk of a stock-out
 * within its lead time (`atRisk`), with the predicted day (null when none within the horizon).
 * Published only when the state changed since the previous run.
 */
export const StockoutRiskChanged = defineEvent({
  source: 'qm.planning',
  detailType: 'StockoutRiskChanged',
  version: 1,
  data: z.object({
    sku: z.string(),
    locationId: z.string(),
    atRisk: z.boolean(),
    stockoutDate: z.string().nullable(),
    leadTimeDays: z.number(),
  }),
});
