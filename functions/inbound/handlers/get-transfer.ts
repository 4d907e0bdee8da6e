import { z } from 'zod';
import { httpHandler, ok } from '#shared/http';
import { dynamoTransferStore } from '../adapters/transfer-store.ts';
import { TransferNotFound } from '../errors.ts';
import { entityId } from '../schemas/inbound.ts';
import { transferView } from '../views/transfer-views.ts';

const store = dynamoTransferStore();

/** GET /api/transfers/{transferId}: lines, status, expected day, and variances once received. */
export const handler = httpHandler({ params: z.object({ transferId: entityId }) }, async ({ params }) => {
  const transfer = await store.transfer(params.transferId);
  if (!transfer) throw new TransferNotFound(params.transferId);
  return ok(transferView(transfer));
});
