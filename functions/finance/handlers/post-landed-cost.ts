import { created, httpHandler, ok } from '#shared/http';
import { financePorts } from '../adapters/wiring.ts';
import { postLandedCost } from '../core/landed-costs.ts';
import { landedCostBody } from '../schemas/finance.ts';

const ports = financePorts();

/** POST /api/finance/landed-costs: allocate freight/duty/other to a receipt; 201 booked, 200 the same again. */
export const handler = httpHandler({ body: landedCostBody }, async ({ body }) => {
  const out = await postLandedCost(ports, body);
  return out.created ? created(out.view) : ok(out.view);
});
