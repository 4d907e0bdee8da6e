/**
 * Connectors item keys — the only place they are composed.
 * - sync:      pk CONNSYNC#<channelId>  sk SKU#<sku>     one per channel × SKU: `desiredVersion`
 *              (bumped per change), `pushedVersion`/`pushedQuantity`/`pushedAt`, the push lease
 *              (`leaseOwner`, `leaseUntil`). gsi1 CONNPENDING / <channelId>#<sku> while
 *              desiredVersion > pushedVersion (sparse: the sweep's and the status' pending list).
 * - health:    pk CONNSYNC#<channelId>  sk HEALTH       state, failures, last push.
 * - shipment:  pk CONNSHIP#<channelId>#<shipmentId>  sk SHIPMENT   the claim that makes one
 *              channel fulfillment per shipment.
 * - refund:    pk CONNREFUND#<channelId>#<returnId>#<attempt>  sk REFUND   the claim that makes one
 *              channel refund per attempt, and its outcome.
 * - 3PL order: pk CONN3PL#<locationId>  sk ORDER#<orderId>   one node part handed to a 3PL: the
 *              hand-off (lease, sent), what the 3PL reported, the shipment's publish claim.
 * - 3PL hook:  pk CONN3PLHOOK#<locationId>#<webhookId>  sk HOOK   a handled webhook id (TTL 30 days).
 * - reconciliation: pk CONNRECON#<id>  sk RECON   gsi1 CONNRECON#<locationId> / <status>#<createdAt>#<id>,
 *              gsi2 CONNRECONS / <status>#<createdAt>#<id>   (by location, or across locations).
 */
export const connectorKeys = {
  sync: (channelId: string, sku: string) => ({ pk: `CONNSYNC#${channelId}`, sk: `SKU#${sku}` }),
  pendingIndex: (channelId: string, sku: string) => ({
    gsi1pk: 'CONNPENDING',
    gsi1sk: `${channelId}#${sku}`,
  }),
  pendingPartition: 'CONNPENDING',
  pendingOf: (channelId: string) => `${channelId}#`,
  health: (channelId: string) => ({ pk: `CONNSYNC#${channelId}`, sk: 'HEALTH' }),
  shipment: (channelId: string, shipmentId: string) => ({
    pk: `CONNSHIP#${channelId}#${shipmentId}`,
    sk: 'SHIPMENT',
  }),
  refund: (channelId: string, refundKey: string) => ({
    pk: `CONNREFUND#${channelId}#${refundKey}`,
    sk: 'REFUND',
  }),
  threePLOrder: (locationId: string, orderId: string) => ({
    pk: `CONN3PL#${locationId}`,
    sk: `ORDER#${orderId}`,
  }),
  threePLOrdersOf: (locationId: string) => `CONN3PL#${locationId}`,
  threePLOrderPrefix: 'ORDER#',
  threePLWebhook: (locationId: string, webhookId: string) => ({
    pk: `CONN3PLHOOK#${locationId}#${webhookId}`,
    sk: 'HOOK',
  }),
  reconciliation: (id: string) => ({ pk: `CONNRECON#${id}`, sk: 'RECON' }),
  reconciliationIndex: (r: {
    reconciliationId: string;
    locationId: string;
    status: string;
    createdAt: string;
  }) => ({
    gsi1pk: `CONNRECON#${r.locationId}`,
    gsi1sk: `${r.status}#${r.createdAt}#${r.reconciliationId}`,
    gsi2pk: 'CONNRECONS',
    gsi2sk: `${r.status}#${r.createdAt}#${r.reconciliationId}`,
  }),
  reconciliationsOf: (locationId: string) => `CONNRECON#${locationId}`,
  reconciliationsPartition: 'CONNRECONS',
};
