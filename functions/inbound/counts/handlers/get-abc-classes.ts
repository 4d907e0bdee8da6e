import { httpHandler, ok } from '#shared/http';
import { countPorts } from '../adapters/wiring.ts';
import { abcClasses } from '../core/counts.ts';

const ports = countPorts();

/**
 * GET /api/abc-classes → `{ months, cutoffs, items: [{ sku, class, value, shippedUnits,
 * unitCostMinor?, currency? }] }`: SKUs by value velocity; a SKU not listed is C.
 */
export const handler = httpHandler({}, async () => ok(await abcClasses(ports)));
