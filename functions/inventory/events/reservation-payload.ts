import { z } from 'zod';

/** The reservation as its events carry it (shared by the four reservation events). */

const allocation = z.object({
  lineIndex: z.number().int(),
  sku: z.string(),
  locationId: z.string(),
  shard: z.number().int(),
  quantity: z.number().int(),
  kitSku: z.string().optional(),
  substituteFor: z.string().optional(),
});

export const reservationData = z.object({
  reservationId: z.string(),
  lines: z.array(
    z.object({ sku: z.string(), locationId: z.string().optional(), quantity: z.number().int() }),
  ),
  allocations: z.array(allocation),
  expiresAt: z.string().optional(),
  actor: z.string(),
});

export const closedData = reservationData.extend({
  closedAt: z.string(),
  closedBy: z.string(),
  reason: z.string().optional(),
});
