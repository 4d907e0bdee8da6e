import { z } from 'zod';
import { httpHandler, ok } from '#shared/http';
import { financePorts } from '../adapters/wiring.ts';
import { costsOf } from '../core/books.ts';

const ports = financePorts();

/** GET /api/finance/costs/{sku}: quantity, value and moving-average unit cost per location. */
export const handler = httpHandler(
  { params: z.object({ sku: z.string().min(1).max(64) }) },
  async ({ params }) => ok(await costsOf(ports, params.sku)),
);
