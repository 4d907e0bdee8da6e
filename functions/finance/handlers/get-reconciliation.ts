import { z } from 'zod';
import { httpHandler, ok } from '#shared/http';
import { financePorts } from '../adapters/wiring.ts';
import { reconcile } from '../core/reconciliation.ts';
import { dayText } from '../schemas/finance.ts';

const ports = financePorts();

/** GET /api/finance/reconciliation?date=YYYY-MM-DD: orders vs shipments vs postings vs refunds, differences listed. */
export const handler = httpHandler({ query: z.object({ date: dayText }) }, async ({ query }) =>
  ok(await reconcile(ports, query.date)),
);
