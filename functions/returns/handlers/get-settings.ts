import { httpHandler, ok } from '#shared/http';
import { dynamoReturnStore } from '../adapters/return-store.ts';
import { settingsOf } from '../core/returns.ts';

const store = dynamoReturnStore();

/** GET /api/return-settings: the settings, defaults filled in. */
export const handler = httpHandler({}, async () => ok(await settingsOf({ store })));
