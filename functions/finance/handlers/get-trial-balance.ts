import { z } from 'zod';
import { httpHandler, ok } from '#shared/http';
import { financePorts } from '../adapters/wiring.ts';
import { trialBalance } from '../core/books.ts';
import { periodText } from '../schemas/finance.ts';

const ports = financePorts();

/** GET /api/finance/trial-balance?period=YYYY-MM: debits and credits per account and currency. */
export const handler = httpHandler({ query: z.object({ period: periodText }) }, async ({ query }) =>
  ok(await trialBalance(ports, query.period)),
);
