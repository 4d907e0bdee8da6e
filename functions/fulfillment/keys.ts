/**
 * Fulfillment item keys — the only place they are composed.
 * - fulfillment: pk FULFILLMENT#<id>   sk FULFILLMENT
 *   gsi1: FULFILLMENTS#<locationId>#<status> / <cutoffAt or 9999>#<priority, inverted>#<createdAt>#<id>
 *         (a location's work queue by status, earliest cutoff first)
 *   gsi2: ORDERFULFILLMENTS#<orderId> / <id>
 * - wave:        pk WAVE#<waveId>          sk WAVE
 *   gsi1: WAVES#<locationId> / <createdAt>#<waveId>
 * - pick task:   pk WAVE#<waveId>          sk TASK#<zone>#<walkOrder, zero-padded>#<binId>#<sku>
 *   (a wave's tasks in walk order, one Query)
 * - carrier:     pk CARRIERS               sk <carrierId>   (few, read together)
 * - settings:    pk FULFILLMENTSETTINGS    sk <locationId>  (wave schedule, pick rate, claim timeout)
 */
export const fulfillmentKeys = {
  fulfillment: (id: string) => ({ pk: `FULFILLMENT#${id}`, sk: 'FULFILLMENT' }),
  fulfillmentQueue: (f: {
    fulfillmentId: string;
    locationId: string;
    status: string;
    cutoffAt?: string;
    priority: number;
    createdAt: string;
  }) => ({
    gsi1pk: fulfillmentKeys.queueOf(f.locationId, f.status),
    gsi1sk: `${f.cutoffAt ?? '9999'}#${String(9 - Math.min(9, Math.max(0, f.priority)))}#${f.createdAt}#${f.fulfillmentId}`,
  }),
  queueOf: (locationId: string, status: string) => `FULFILLMENTS#${locationId}#${status}`,
  fulfillmentOfOrder: (orderId: string, fulfillmentId: string) => ({
    gsi2pk: fulfillmentKeys.ofOrder(orderId),
    gsi2sk: fulfillmentId,
  }),
  ofOrder: (orderId: string) => `ORDERFULFILLMENTS#${orderId}`,

  wave: (waveId: string) => ({ pk: `WAVE#${waveId}`, sk: 'WAVE' }),
  waveIndex: (w: { waveId: string; locationId: string; createdAt: string }) => ({
    gsi1pk: fulfillmentKeys.wavesAt(w.locationId),
    gsi1sk: `${w.createdAt}#${w.waveId}`,
  }),
  wavesAt: (locationId: string) => `WAVES#${locationId}`,
  taskPrefix: 'TASK#',
  pickTask: (t: { waveId: string; zone: string; walkOrder: number; binId: string; sku: string }) => ({
    pk: `WAVE#${t.waveId}`,
    sk: `TASK#${t.zone}#${String(t.walkOrder).padStart(6, '0')}#${t.binId}#${t.sku}`,
  }),

  carriersPartition: 'CARRIERS',
  carrier: (carrierId: string) => ({ pk: 'CARRIERS', sk: carrierId }),
  settingsPartition: 'FULFILLMENTSETTINGS',
  settings: (locationId: string) => ({ pk: 'FULFILLMENTSETTINGS', sk: locationId }),
};
