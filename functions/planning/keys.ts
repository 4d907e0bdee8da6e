/**
 * Planning's items in the single table (the context's own; nothing outside reads them):
 * - series (one per SKU × location with demand): PLAN#SERIES / <sku>#<locationId>
 * - demand day: PLAN#DEMAND#<sku>#<locationId> / <yyyy-mm-dd> (shipped: ADD per shipment; imported: SET per upload)
 * - marked events (promotions): PLAN#EVENTS / EVENTS; settings: PLAN#SETTINGS / SETTINGS
 * - purchase order as planning follows it: PLAN#PO#<poId> / PO; gsi1 PLANPOS / <supplierId>#<poId>
 * - a SKU's current supplier (its latest PO): PLAN#SKUSUP / <sku>
 * - open backorder: PLAN#BACKORDERS / <orderId>
 * - run: PLAN#RUN#<runId> / RUN; gsi1 PLANRUNS / <requestedAt>#<runId>
 *   its forecasts FC#<sku>#<locationId> and suggestions SUG#<type>#<sku>#<locationId>#<from>
 * - the latest finished run: PLAN#LATEST / RUN; at-risk state per series: PLAN#RISK / <sku>#<locationId>
 */
export const planningKeys = {
  series: 'PLAN#SERIES',
  seriesSort: (sku: string, locationId: string) => `${sku}#${locationId}`,
  demand: (sku: string, locationId: string) => `PLAN#DEMAND#${sku}#${locationId}`,
  events: { pk: 'PLAN#EVENTS', sk: 'EVENTS' },
  settings: { pk: 'PLAN#SETTINGS', sk: 'SETTINGS' },
  po: (poId: string) => ({ pk: `PLAN#PO#${poId}`, sk: 'PO' }),
  pos: 'PLANPOS',
  skuSuppliers: 'PLAN#SKUSUP',
  backorders: 'PLAN#BACKORDERS',
  run: (runId: string) => `PLAN#RUN#${runId}`,
  runs: 'PLANRUNS',
  forecast: (sku: string, locationId: string) => `FC#${sku}#${locationId}`,
  suggestion: (type: string, sku: string, locationId: string, from = '') =>
    `SUG#${type}#${sku}#${locationId}#${from}`,
  latest: { pk: 'PLAN#LATEST', sk: 'RUN' },
  risk: 'PLAN#RISK',
};
