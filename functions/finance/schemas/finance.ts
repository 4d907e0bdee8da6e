import { z } from 'zod';
import { ACCOUNT_ROLES } from '../core/accounts.ts';

const id = z.string().min(1).max(128);
/** `YYYY-MM`, a real month. */
export const periodText = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month as YYYY-MM');
/** `YYYY-MM-DD`, a real day. */
export const dayText = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a day as YYYY-MM-DD')
  .refine(
    (d) =>
      !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d),
    'a real day',
  );

export const chartBody = z
  .object({
    baseCurrency: z
      .string()
      .regex(/^[A-Z]{3}$/)
      .optional(),
    accounts: z
      .array(
        z.object({
          role: z.enum(ACCOUNT_ROLES),
          code: z.string().min(1).max(32),
          name: z.string().min(1).max(120).optional(),
        }),
      )
      .max(ACCOUNT_ROLES.length)
      .optional(),
  })
  .refine((b) => new Set((b.accounts ?? []).map((a) => a.role)).size === (b.accounts ?? []).length, {
    message: 'each role at most once',
    path: ['accounts'],
  });

export const landedCostBody = z.object({
  landedCostId: id,
  receiptRef: id,
  method: z.enum(['value', 'quantity', 'weight']),
  amounts: z
    .array(
      z.object({
        kind: z.enum(['freight', 'duty', 'other']),
        amount: z.string().max(20),
        currency: z.string().regex(/^[A-Z]{3}$/),
      }),
    )
    .min(1)
    .max(20),
  weights: z
    .array(z.object({ sku: z.string().min(1).max(64), grams: z.number().int().positive().max(10_000_000) }))
    .max(500)
    .optional(),
});

export const DATASETS = ['journal_lines', 'inventory_valuation', 'kpis_daily'] as const;

export const exportBody = z.object({
  date: dayText,
  datasets: z.array(z.enum(DATASETS)).min(1).max(DATASETS.length).optional(),
});
