import { z } from 'zod';
import { ALERT_TYPES } from '../events/alerts.ts';

const DAY_MS = 86_400_000;
/** The longest range one request reads: a year of days. */
export const MAX_KPI_DAYS = 366;

const isoDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD')
  .refine(
    (d) =>
      !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d),
    'not a calendar date',
  );

const today = () => new Date().toISOString().slice(0, 10);
const daysBefore = (d: string, n: number) =>
  new Date(Date.parse(`${d}T00:00:00Z`) - n * DAY_MS).toISOString().slice(0, 10);

/** `from`/`to` default to the last 14 days; `to` ≥ `from`, at most a year apart. */
export const kpiQuery = z
  .object({
    from: isoDay.optional(),
    to: isoDay.optional(),
    locationId: z.string().min(1).max(128).optional(),
  })
  .transform((q) => {
    const to = q.to ?? today();
    return { from: q.from ?? daysBefore(to, 13), to, locationId: q.locationId };
  })
  .superRefine((q, ctx) => {
    if (q.from > q.to) ctx.addIssue({ code: 'custom', path: ['from'], message: 'from must not be after to' });
    else if ((Date.parse(q.to) - Date.parse(q.from)) / DAY_MS + 1 > MAX_KPI_DAYS)
      ctx.addIssue({ code: 'custom', path: ['to'], message: `at most ${MAX_KPI_DAYS} days at once` });
  });

export const alertListQuery = z.object({
  status: z.enum(['open', 'cleared']).default('open'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const alertParams = z.object({ alertId: z.string().min(1).max(64) });

export const alertSettingsBody = z
  .object({
    backorderAgeHours: z
      .number()
      .int()
      .min(1)
      .max(24 * 90),
    intakeExceptionsOpen: z.number().int().min(1).max(100_000),
    muted: z.array(z.enum(ALERT_TYPES)).max(ALERT_TYPES.length).default([]),
  })
  .strict();
