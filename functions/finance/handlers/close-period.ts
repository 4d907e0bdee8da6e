import { z } from 'zod';
import { created, httpHandler, ok, requirePrincipal } from '#shared/http';
import { financePorts } from '../adapters/wiring.ts';
import { closePeriod } from '../core/books.ts';
import { periodText } from '../schemas/finance.ts';

const ports = financePorts();

/** POST /api/finance/periods/{period}/close: no more postings to that month; 201, 200 when closed already. */
export const handler = httpHandler(
  { params: z.object({ period: periodText }) },
  async ({ params, principal }) => {
    const out = await closePeriod(ports, params.period, requirePrincipal(principal).username);
    return out.created ? created(out.period) : ok(out.period);
  },
);
