import { httpHandler, ok } from '#shared/http';
import { countPorts } from '../adapters/wiring.ts';
import { countSettings } from '../core/counts.ts';

const ports = countPorts();

/** GET /api/count-settings → ABC cut-offs, tolerance and count intervals in force (defaults when never set). */
export const handler = httpHandler({}, async () => ok(await countSettings(ports)));
