import { z } from 'zod';
import { httpHandler, ok } from '#shared/http';
import { dynamoInboundStore } from '../adapters/inbound-store.ts';
import { AsnNotFound } from '../errors.ts';
import { entityId } from '../schemas/inbound.ts';
import { asnView } from '../views/inbound-views.ts';

const store = dynamoInboundStore();

/** GET /api/asns/{asnId}: the ASN with its cartons, loose lines and units per SKU. */
export const handler = httpHandler({ params: z.object({ asnId: entityId }) }, async ({ params }) => {
  const asn = await store.getAsn(params.asnId);
  if (!asn) throw new AsnNotFound(params.asnId);
  return ok(asnView(asn));
});
