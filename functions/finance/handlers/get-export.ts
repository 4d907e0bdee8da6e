import { z } from 'zod';
import { NotFound } from '#shared/errors';
import { httpHandler, ok } from '#shared/http';
import { dynamoExportStore } from '../adapters/export-store.ts';
import { runView } from '../core/exports.ts';

const runs = dynamoExportStore();

/** GET /api/finance/exports/{runId}: status, and per dataset its rows and files. */
export const handler = httpHandler(
  { params: z.object({ runId: z.string().min(1).max(64) }) },
  async ({ params }) => {
    const run = await runs.run(params.runId);
    if (!run) throw new NotFound('Export run', params.runId);
    return ok(runView(run));
  },
);
