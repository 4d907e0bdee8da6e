import { httpHandler, ok } from '#shared/http';
import { financePorts } from '../adapters/wiring.ts';
import { listPeriods } from '../core/books.ts';

const ports = financePorts();

/** GET /api/finance/periods: closed months and the current open one, newest first. */
export const handler = httpHandler({}, async () => ok(await listPeriods(ports)));
