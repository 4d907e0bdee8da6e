import { httpHandler, ok } from '#shared/http';
import { dynamoInboundStore } from '../adapters/inbound-store.ts';

const store = dynamoInboundStore();

/** GET /api/suppliers: every supplier in id order. */
export const handler = httpHandler({}, async () => ok({ items: await store.listSuppliers() }));
