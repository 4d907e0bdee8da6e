import { z } from 'zod';
import { created, httpHandler, ok } from '#shared/http';
import { inventoryPorts } from '../adapters/wiring.ts';
import { putBin } from '../core/bins.ts';
import { binId, putBinBody } from '../schemas/bins.ts';
import { locationId } from '../schemas/stock.ts';

const ports = inventoryPorts();

/** PUT /api/locations/{id}/bins/{binId}: define or redefine a bin (RECEIVING and STAGING included). */
export const handler = httpHandler(
  { params: z.object({ id: locationId, binId }), body: putBinBody },
  async ({ params, body }) => {
    const { bin, created: isNew } = await putBin(ports, params.id, params.binId, body);
    return isNew ? created(bin) : ok(bin);
  },
);
