import { z } from 'zod';
import { eventBridgePublisher } from '#shared/events';
import { created, httpHandler, ok } from '#shared/http';
import { dynamoSkuRepository } from '../adapters/sku-repository.ts';
import { putSku } from '../core/put-sku.ts';
import { putSkuBody, skuCode } from '../schemas/sku.ts';

const ports = { skus: dynamoSkuRepository(), events: eventBridgePublisher(), clock: () => new Date() };

export const handler = httpHandler(
  { params: z.object({ sku: skuCode }), body: putSkuBody },
  async ({ params, body, correlationId }) => {
    const result = await putSku(ports, params.sku, body, correlationId);
    return result.created ? created(result.sku) : ok(result.sku);
  },
);
