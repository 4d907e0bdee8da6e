import { z } from 'zod';
import { defineEvent } from '#shared/events';

/** Someone asked for an export run (POST /api/finance/exports); the export function runs it. */
export const FinanceExportRequested = defineEvent({
  source: 'qm.finance',
  detailType: 'FinanceExportRequested',
  version: 1,
  data: z.object({
    runId: z.string(),
    date: z.string(),
    datasets: z.array(z.string()),
    requestedBy: z.string(),
  }),
});
