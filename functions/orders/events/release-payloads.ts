import { z } from 'zod';
import { shipToAddress } from '../schemas/canonical-order.ts';

/** Shapes the order-release events share. */
export const releaseLine = z.object({
  lineId: z.string(),
  sku: z.string(),
  quantity: z.number().int().positive(),
});

export const holdData = z.object({
  holdId: z.string(),
  type: z.string(),
  reason: z.string(),
  by: z.string(),
  at: z.string(),
});

/** One node's part of an order, handed to whoever picks it (own warehouse or a 3PL). */
export const releasedShipment = z.object({
  orderId: z.string(),
  channelId: z.string(),
  externalId: z.string(),
  reservationId: z.string(),
  locationId: z.string(),
  nodeType: z.enum(['warehouse', 'store', '3pl']),
  lines: z.array(releaseLine).min(1),
  serviceLevel: z.string(),
  shipTo: shipToAddress.nullable(),
  releasedAt: z.string(),
  /**
   * The reservation's content as inventory answered it: its lines and each unit's SKU at this
   * node (a kit as its components). Fulfillment builds its pick lines from it without a read.
   */
  held: z
    .object({
      lines: z.array(z.object({ sku: z.string(), quantity: z.number().int() })),
      allocations: z.array(
        z.object({
          lineIndex: z.number().int().nonnegative(),
          sku: z.string(),
          locationId: z.string(),
          quantity: z.number().int().positive(),
          kitSku: z.string().optional(),
          substituteFor: z.string().optional(),
        }),
      ),
    })
    .optional(),
  /** The routing decision's summary, for the picker's context. */
  routing: z.string().optional(),
});
