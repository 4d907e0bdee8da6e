import { z } from 'zod';
import { skuCode } from '#catalog/api';

/** Planning's requests and settings. */

export const DEFAULT_HORIZON_DAYS = 56;
export const MAX_HORIZON_DAYS = 365;
/** Days of history a run reads per series (a year: the weekly pattern and the trend, not more). */
export const HISTORY_DAYS = 364;

export const locationId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, ".", "_" or "-"');

export const runBody = z
  .object({
    horizonDays: z.number().int().min(7).max(MAX_HORIZON_DAYS).optional(),
    /** The first forecast day; history is read up to the day before. Defaults to today (UTC). */
    asOf: z.iso.date().optional(),
  })
  .optional();

const serviceLevel = z.number().gt(0.5).lt(1);
export const settingsBody = z.object({
  /** Cycle service level per ABC class (the z of the safety stock). */
  serviceLevels: z.object({ A: serviceLevel, B: serviceLevel, C: serviceLevel }),
  /** Days between planning reviews: the order-up-to level covers them beyond the reorder point. */
  reviewDays: z.number().int().min(1).max(90),
  /** Lead time for a SKU no supplier is known for (never bought on a PO). */
  defaultLeadTimeDays: z.number().int().min(0).max(365),
});
export type PlanningSettings = z.infer<typeof settingsBody>;
export const DEFAULT_SETTINGS: PlanningSettings = {
  serviceLevels: { A: 0.98, B: 0.95, C: 0.9 },
  reviewDays: 7,
  defaultLeadTimeDays: 14,
};

/** Marked events: a day of a listed SKU (all SKUs when none listed) at a listed location (all when none) is excluded. */
export const MAX_MARKED_EVENTS = 200;
export const markedEvent = z
  .object({
    eventId: z.string().min(1).max(64),
    name: z.string().trim().min(1).max(200),
    from: z.iso.date(),
    to: z.iso.date(),
    skus: z.array(skuCode).max(500).optional(),
    locationIds: z.array(locationId).max(100).optional(),
  })
  .refine((e) => e.from <= e.to, { path: ['to'], message: 'must not be before from' });
export type MarkedEvent = z.infer<typeof markedEvent>;
export const eventsBody = z.object({
  events: z
    .array(markedEvent)
    .max(MAX_MARKED_EVENTS)
    .superRefine((events, ctx) => {
      const seen = new Set<string>();
      events.forEach((e, i) => {
        if (seen.has(e.eventId))
          ctx.addIssue({ code: 'custom', path: [i, 'eventId'], message: 'listed twice' });
        seen.add(e.eventId);
      });
    }),
});

export const suggestionsQuery = z.object({ type: z.enum(['po', 'transfer']).optional() });
export const forecastParams = z.object({ sku: skuCode });
export const forecastQuery = z.object({ locationId: locationId.optional() });
export const runParams = z.object({ runId: z.string().min(1).max(64) });
export const historyQuery = z
  .object({ sku: skuCode, locationId, from: z.iso.date().optional(), to: z.iso.date().optional() })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { path: ['to'], message: 'must not be before from' });
