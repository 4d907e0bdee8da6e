import { httpHandler, ok } from '#shared/http';
import { dynamoReturnStore } from '../adapters/return-store.ts';
import { putSettings } from '../core/returns.ts';
import { settingsBody } from '../schemas/returns.ts';

const store = dynamoReturnStore();

/** PUT /api/return-settings: reason codes, return window (per channel), approval threshold. */
export const handler = httpHandler({ body: settingsBody }, async ({ body }) =>
  ok(await putSettings({ store }, body)),
);
