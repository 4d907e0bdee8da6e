import { z } from 'zod';
import { skuCode } from '#catalog/api';
import { MAX_QUANTITY } from '#shared/bounds';
import { entityId } from '../schemas/inbound.ts';

/**
 * Cycle counts: ABC classes from value velocity, count tasks per bin (blind: the counter never
 * sees what the system expects), variances posted within tolerance or approved by a supervisor.
 */
export const ABC_CLASSES = ['A', 'B', 'C'] as const;
export type AbcClass = (typeof ABC_CLASSES)[number];

/** Why a count task exists. */
export type CountOrigin = 'manual' | 'schedule' | 'short_pick' | 'mismatch';

export interface CountSettings {
  /** Shares of the total value velocity (percent): A up to `a`, B the next `b`, C the rest. */
  abcCutoffs: { a: number; b: number; c: number };
  /**
   * A variance is within tolerance when |delta| ≤ `units`, or |delta| ≤ `percent` % of the
   * expected units (whichever allows more); within it posts by itself.
   */
  tolerance: { units: number; percent: number };
  /** Days between counts of a bin holding a SKU of the class (the schedule raises due tasks). */
  intervalDays: Record<AbcClass, number>;
  /** The zone putaway prefers for a SKU of the class (after a bin already holding the SKU). */
  putawayZones?: Partial<Record<AbcClass, string>>;
}

export const DEFAULT_COUNT_SETTINGS: CountSettings = {
  abcCutoffs: { a: 80, b: 15, c: 5 },
  tolerance: { units: 2, percent: 2 },
  intervalDays: { A: 30, B: 90, C: 365 },
};

const percent = z.number().min(0).max(100);
const zoneName = z.string().trim().min(1).max(100);
export const countSettingsBody = z
  .object({
    abcCutoffs: z.object({ a: percent, b: percent, c: percent }).optional(),
    tolerance: z
      .object({ units: z.number().int().min(0).max(MAX_QUANTITY), percent: z.number().min(0).max(100) })
      .optional(),
    intervalDays: z
      .object({
        A: z.number().int().min(1).max(3660),
        B: z.number().int().min(1).max(3660),
        C: z.number().int().min(1).max(3660),
      })
      .optional(),
    putawayZones: z
      .object({ A: zoneName.optional(), B: zoneName.optional(), C: zoneName.optional() })
      .strict()
      .optional(),
  })
  .superRefine((s, ctx) => {
    const c = s.abcCutoffs;
    if (c && Math.abs(c.a + c.b + c.c - 100) > 1e-9)
      ctx.addIssue({ code: 'custom', path: ['abcCutoffs'], message: 'a + b + c must be 100' });
  });
export type CountSettingsBody = z.infer<typeof countSettingsBody>;

export const MAX_BINS_PER_COUNT = 200;
export const createCountBody = z
  .object({
    locationId: entityId,
    binIds: z.array(entityId).min(1).max(MAX_BINS_PER_COUNT).optional(),
    class: z.enum(ABC_CLASSES).optional(),
  })
  .refine((b) => (b.binIds === undefined) !== (b.class === undefined), {
    path: ['binIds'],
    message: 'give either binIds or class',
  });
export type CreateCountBody = z.infer<typeof createCountBody>;

/**
 * A bin's count holds at most this many SKUs: its variances are written in one transaction with
 * the task (DynamoDB allows 100 items), so a submit is never half-written.
 */
export const MAX_COUNT_LINES = 90;
export const submitCountBody = z.object({
  counts: z
    .array(z.object({ sku: skuCode, quantity: z.number().int().min(0).max(MAX_QUANTITY) }))
    .max(MAX_COUNT_LINES)
    .superRefine((lines, ctx) => {
      const seen = new Set<string>();
      lines.forEach((l, i) => {
        if (seen.has(l.sku)) ctx.addIssue({ code: 'custom', path: [i, 'sku'], message: 'SKU listed twice' });
        seen.add(l.sku);
      });
    }),
});

export const decisionBody = z.object({ reason: z.string().trim().min(1).max(200) });

export const VARIANCE_STATUSES = ['pending', 'approved', 'posted', 'rejected'] as const;
export type VarianceStatus = (typeof VARIANCE_STATUSES)[number];

/** One SKU of a submitted count as the system keeps it (expected is never shown to the counter). */
export interface CountLine {
  sku: string;
  counted: number;
  expected: number;
  delta: number;
  withinTolerance: boolean;
  varianceId?: string;
}

export interface CountTask {
  taskId: string;
  locationId: string;
  binId: string;
  status: 'open' | 'submitted';
  origin: CountOrigin;
  /** The class the task was raised for (by class or by the schedule). */
  class?: AbcClass;
  note?: string;
  createdAt: string;
  createdBy: string;
  submittedAt?: string;
  submittedBy?: string;
  /** What the counter entered, as entered (sorted by SKU): a retry with the same counts is a repeat. */
  counts?: { sku: string; quantity: number }[];
  /** Every SKU counted or expected in the bin; kept for accuracy and approval, never shown to counters. */
  lines?: CountLine[];
}

/**
 * A difference between counted and expected units of one SKU in one bin.
 * - `approved`: to be posted (within tolerance, or a supervisor approved it) but not yet in the ledger;
 * - `posted`: the ledger movement is made and CountVariancePosted published;
 * - `pending`: waits for a supervisor (beyond tolerance, or inventory refused the automatic post);
 * - `rejected`: a supervisor refused it; nothing changed.
 */
export interface CountVariance {
  varianceId: string;
  taskId: string;
  locationId: string;
  binId: string;
  sku: string;
  expected: number;
  counted: number;
  delta: number;
  status: VarianceStatus;
  auto: boolean;
  countedAt: string;
  countedBy: string;
  decidedAt?: string;
  decidedBy?: string;
  reason?: string;
  postedAt?: string;
  /** Why an automatic post could not be made (e.g. INSUFFICIENT_STOCK: the units are reserved). */
  blocked?: { code: string; message: string };
}
