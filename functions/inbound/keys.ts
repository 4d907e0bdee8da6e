/**
 * Inbound item keys — the only place they are composed.
 * - supplier:  pk SUPPLIERS    sk <supplierId>   (hundreds at most, read together)
 * - PO header: pk PO#<poId>    sk PO
 *   gsi1: POSTATUS#<status> / <expectedAt>#<poId>        (POs in a status, earliest expected first)
 *   gsi2: SUPPLIERPOS#<supplierId> / <createdAt>#<poId>  (a supplier's POs, oldest first)
 * - PO line:   pk PO#<poId>    sk LINE#<sku>     (one per SKU; header and lines are one Query)
 *   gsi1: INCOMING#<sku> / <locationId>#<expectedAt>#<poId>, only while the line still expects
 *         units (sparse: removed when the PO is cancelled, and by receiving once it is full)
 * - ASN:       pk ASN#<asnId>  sk ASN
 *   gsi1: POASNS#<poId> / <createdAt>#<asnId>                (ASNs of a PO)
 */
export const inboundKeys = {
  suppliersPartition: 'SUPPLIERS',
  supplier: (supplierId: string) => ({ pk: 'SUPPLIERS', sk: supplierId }),

  poPartition: (poId: string) => `PO#${poId}`,
  poHeader: (poId: string) => ({ pk: `PO#${poId}`, sk: 'PO' }),
  poHeaderSk: 'PO',
  poByStatus: (po: { poId: string; status: string; expectedAt: string }) => ({
    gsi1pk: inboundKeys.posWithStatus(po.status),
    gsi1sk: `${po.expectedAt}#${po.poId}`,
  }),
  posWithStatus: (status: string) => `POSTATUS#${status}`,
  poBySupplier: (po: { poId: string; supplierId: string; createdAt: string }) => ({
    gsi2pk: inboundKeys.posOfSupplier(po.supplierId),
    gsi2sk: `${po.createdAt}#${po.poId}`,
  }),
  posOfSupplier: (supplierId: string) => `SUPPLIERPOS#${supplierId}`,

  poLine: (poId: string, sku: string) => ({ pk: `PO#${poId}`, sk: `LINE#${sku}` }),
  poLinePrefix: 'LINE#',
  incomingLine: (l: { poId: string; sku: string; locationId: string; expectedAt: string }) => ({
    gsi1pk: inboundKeys.incomingOf(l.sku),
    gsi1sk: `${l.locationId}#${l.expectedAt}#${l.poId}`,
  }),
  incomingOf: (sku: string) => `INCOMING#${sku}`,

  asn: (asnId: string) => ({ pk: `ASN#${asnId}`, sk: 'ASN' }),
  asnOfPo: (a: { asnId: string; poId: string; createdAt: string }) => ({
    gsi1pk: inboundKeys.asnsOf(a.poId),
    gsi1sk: `${a.createdAt}#${a.asnId}`,
  }),
  asnsOf: (poId: string) => `POASNS#${poId}`,
};

/**
 * Receiving (one partition per ASN's receipt, read with one Query):
 * - receipt: pk RECEIPT#<asnId> sk RECEIPT
 * - line:    pk RECEIPT#<asnId> sk LINE#<sku>   (counts per SKU, wrong SKUs included)
 * - scan:    pk RECEIPT#<asnId> sk SCAN#<scanId> (the scan as recorded: a retry counts once)
 */
export const receivingKeys = {
  partition: (asnId: string) => `RECEIPT#${asnId}`,
  receipt: (asnId: string) => ({ pk: `RECEIPT#${asnId}`, sk: 'RECEIPT' }),
  receiptSk: 'RECEIPT',
  line: (asnId: string, sku: string) => ({ pk: `RECEIPT#${asnId}`, sk: `LINE#${sku}` }),
  linePrefix: 'LINE#',
  scan: (asnId: string, scanId: string) => ({ pk: `RECEIPT#${asnId}`, sk: `SCAN#${scanId}` }),
};

/**
 * Putaway tasks (one item per good scan):
 * - task: pk PUTAWAY#<taskId> sk TASK
 *   gsi1: PUTAWAYOPEN#<locationId> / <createdAt>#<taskId>  (open tasks of a location, oldest
 *         first; sparse: removed when the task is done)
 * - bin lease: pk PUTAWAYBIN#<locationId>#<binId> sk LEASE  (one confirm at a time into a bin
 *         with a capacity; `owner`, `expiresAt` in ms, `ttl` in s; deleted by its owner after the move)
 * - bin SKUs:  pk PUTAWAYBIN#<locationId>#<binId> sk SKUS   (`skus`: a set of every SKU put away
 *         into the bin, added under the lease before the move)
 */
export const putawayKeys = {
  task: (taskId: string) => ({ pk: `PUTAWAY#${taskId}`, sk: 'TASK' }),
  binLease: (locationId: string, binId: string) => ({ pk: `PUTAWAYBIN#${locationId}#${binId}`, sk: 'LEASE' }),
  binSkus: (locationId: string, binId: string) => ({ pk: `PUTAWAYBIN#${locationId}#${binId}`, sk: 'SKUS' }),
  openAt: (t: { taskId: string; locationId: string; createdAt: string }) => ({
    gsi1pk: putawayKeys.openOf(t.locationId),
    gsi1sk: `${t.createdAt}#${t.taskId}`,
  }),
  openOf: (locationId: string) => `PUTAWAYOPEN#${locationId}`,
};

/**
 * Transfers between locations:
 * - transfer:   pk TRANSFER#<transferId> sk TRANSFER (lines on the item: at most 50)
 *   gsi1: TRANSFERS#<status> / <createdAt>#<transferId>  (transfers in a status, oldest first)
 * - in transit: pk TRANSFER#<transferId> sk TRANSIT#<sku>, written when shipped, deleted when received
 *   gsi1: INTRANSIT#<sku> / <toLocationId>#<expectedAt>#<transferId>  (what is on its way, by SKU)
 */
export const transferKeys = {
  transfer: (transferId: string) => ({ pk: `TRANSFER#${transferId}`, sk: 'TRANSFER' }),
  inTransit: (transferId: string, sku: string) => ({ pk: `TRANSFER#${transferId}`, sk: `TRANSIT#${sku}` }),
  inTransitIndex: (t: { transferId: string; sku: string; toLocationId: string; expectedAt: string }) => ({
    gsi1pk: transferKeys.inTransitOf(t.sku),
    gsi1sk: `${t.toLocationId}#${t.expectedAt}#${t.transferId}`,
  }),
  inTransitOf: (sku: string) => `INTRANSIT#${sku}`,
  byStatus: (t: { transferId: string; status: string; createdAt: string }) => ({
    gsi1pk: transferKeys.withStatus(t.status),
    gsi1sk: `${t.createdAt}#${t.transferId}`,
  }),
  withStatus: (status: string) => `TRANSFERS#${status}`,
};
