import { httpHandler, ok } from '#shared/http';
import { countPorts } from '../adapters/wiring.ts';
import { putCountSettings } from '../core/counts.ts';
import { countSettingsBody } from '../schemas.ts';

const ports = countPorts();

/** PUT /api/count-settings `{ abcCutoffs?, tolerance?, intervalDays? }`: replaces them (a part left out is its default). */
export const handler = httpHandler({ body: countSettingsBody }, async ({ body }) =>
  ok(await putCountSettings(ports, body)),
);
