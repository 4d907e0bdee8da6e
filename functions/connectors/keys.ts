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
};
