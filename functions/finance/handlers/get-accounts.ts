import { httpHandler, ok } from '#shared/http';
import { financePorts } from '../adapters/wiring.ts';
import { getChart } from '../core/books.ts';

const ports = financePorts();

/** GET /api/finance/accounts: the chart of accounts in force. */
export const handler = httpHandler({}, async () => ok(await getChart(ports)));
