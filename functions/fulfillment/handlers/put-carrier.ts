import { z } from 'zod';
import { created, httpHandler, ok, requirePrincipal } from '#shared/http';
import { carrierStore } from '../adapters/carrier-store.ts';
import { type Carrier, carrierBody } from '../schemas/fulfillment.ts';

const carriers = carrierStore();

const carrierId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, ".", "_" or "-"');

/**
 * PUT /api/carriers/{carrierId}: creates or replaces a carrier's services and cutoffs.
 * Cutoffs may name locations not defined yet (a carrier is often set up before the site opens);
 * a cutoff at an unknown location simply never matches a fulfillment.
 */
export const handler = httpHandler(
  { params: z.object({ carrierId }), body: carrierBody },
  async ({ params, body, principal }) => {
    const previous = await carriers.get(params.carrierId);
    const carrier: Carrier = {
      carrierId: params.carrierId,
      ...body,
      updatedAt: new Date().toISOString(),
      updatedBy: requirePrincipal(principal).username,
    };
    await carriers.put(carrier);
    const result = previous ? ok(carrier) : created(carrier);
    return { ...result, audit: { before: previous, after: carrier } };
  },
);
