import { httpHandler, ok } from '#shared/http';
import { carrierStore } from '../adapters/carrier-store.ts';

const carriers = carrierStore();

/** GET /api/carriers: every carrier with its services and cutoffs, in id order. */
export const handler = httpHandler({}, async () => ok({ items: await carriers.list() }));
