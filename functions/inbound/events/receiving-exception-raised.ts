import { z } from 'zod';
import { defineEvent } from '#shared/events';

/**
 * A receipt differs from its ASN: a wrong SKU (raised at the scan), or over, short or damaged
 * units of a SKU (raised when the receipt is closed).
 */
export const ReceivingExceptionRaised = defineEvent({
  source: 'qm.inbound',
  detailType: 'ReceivingExceptionRaised',
  version: 1,
  data: z.object({
    asnId: z.string(),
    poId: z.string(),
    locationId: z.string(),
    type: z.enum(['over', 'short', 'wrong_sku', 'damaged']),
    sku: z.string(),
    quantity: z.number().int(),
    raisedAt: z.string(),
  }),
});
