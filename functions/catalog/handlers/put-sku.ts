import { z } from 'zod';
import { created, httpHandler, ok } from '#shared/http';
import { catalogPorts } from '../adapters/wiring.ts';
import { putSku } from '../core/put-sku.ts';
import { putSkuBody, skuCode } from '../schemas/sku.ts';

const ports = catalogPorts();

export const handler = httpHandler(
  { params: z.object({ sku: skuCode }), body: putSkuBody },
  async ({ params, body, correlationId }) => {
    const result = await putSku(ports, params.sku, body, correlationId);
    return result.created ? created(result.sku) : ok(result.sku);
  },
);
