import { httpHandler, ok } from '#shared/http';
import { dynamoExportStore } from '../adapters/export-store.ts';
import { runView } from '../core/exports.ts';

const runs = dynamoExportStore();

/** GET /api/finance/exports: the 50 most recent runs, newest first. */
export const handler = httpHandler({}, async () => ok({ items: (await runs.recentRuns(50)).map(runView) }));
