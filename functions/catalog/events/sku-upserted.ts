import { z } from 'zod';
import { defineEvent } from '#shared/events';

export const SkuUpserted = defineEvent({
  source: 'qm.catalog',
  detailType: 'SkuUpserted',
  version: 1,
  data: z.object({
    sku: z.string(),
    name: z.string(),
    isKit: z.boolean(),
    components: z.array(z.object({ sku: z.string(), quantity: z.number().int() })).optional(),
  }),
});
