import { z } from 'zod';
import { PAYMENT_STATUSES, SERVICE_LEVELS, shipToAddress } from '../schemas/canonical-order.ts';

/** The line shape every order event carries: enough to reserve, release and price. */
export const orderEventLine = z.object({
  lineId: z.string(),
  sku: z.string(),
  quantity: z.number().int().positive(),
  /** Minor units of the order's currency; null when the channel did not send prices. */
  unitPrice: z.number().int().nullable(),
  discount: z.number().int().optional(),
  isKit: z.boolean().optional(),
});

/** Fields OrderReceived and OrderUpdated share: the order as the release workflow needs it. */
export const orderEventBody = {
  orderId: z.string(),
  channelId: z.string(),
  externalId: z.string(),
  lines: z.array(orderEventLine).min(1),
  currency: z.string().nullable(),
  shipTo: shipToAddress.nullable(),
  paymentStatus: z.enum(PAYMENT_STATUSES),
  placedAt: z.string(),
  serviceLevel: z.enum(SERVICE_LEVELS),
  allowSubstitutes: z.boolean().optional(),
  customerRef: z.string().nullable().optional(),
  /** True when prices or the address are still to be fetched from the channel (Amazon). */
  detailsPending: z.boolean().optional(),
};
