import { httpHandler, ok } from '#shared/http';
import { financePorts } from '../adapters/wiring.ts';
import { putChart } from '../core/books.ts';
import { chartBody } from '../schemas/finance.ts';

const ports = financePorts();

/** PUT /api/finance/accounts: the chart of accounts (the roles given; the rest keep their codes). */
export const handler = httpHandler({ body: chartBody }, async ({ body }) => ok(await putChart(ports, body)));
