import { z } from 'zod';
import { defineEvent } from '#shared/events';

/**
 * A SKU × location's predicted stock-out moved in or out of its lead time. The planning context
 * publishes it (after each planning run); it is declared here until planning exists on this
 * branch, and is to be re-pointed at planning's own declaration when the two meet.
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
