/**
 * Finance's items in the single table (the context's own; nothing outside reads them):
 * - chart of accounts: FIN#CHART / CHART
 * - journal entry (its lines inside): FIN#ENTRY#<entryId> / ENTRY;
 *   gsi1 FINDAY#<recorded day> / <recordedAt>#<entryId> (exports), gsi2 FINPERIOD#<period> / same (trial balance)
 * - cost position: FIN#COST#<sku>#<locationId> / POS; gsi1 FINCOSTS / <sku>#<locationId>
 *   and its history after each entry: FIN#COST#<sku>#<locationId> / AT#<recordedAt>#<entryId>
 * - receipt line (what a receipt brought in, for landed cost): FIN#RECEIPT#<receiptRef> / LINE#<sku>#<locationId>
 * - order prices: FIN#ORDER#<orderId> / PRICES; gsi1 FINORDERS#<placed day> / <placedAt>#<orderId>
 * - closed period: FIN#PERIOD#<YYYY-MM> / PERIOD; gsi1 FINPERIODS / <YYYY-MM>
 * - export run: FIN#EXPORT#<runId> / RUN; gsi1 FINEXPORTS / <requestedAt>#<runId>
 * - a return as finance heard of it (ReturnReceived): FIN#RETURN#<returnId> / RETURN
 *   and each refund asked for it (RefundRequested): FIN#RETURN#<returnId> / REFUND#<attempt>
 */
const sep = (...parts: string[]) => parts.join('#');

export const financeKeys = {
  chart: () => ({ pk: 'FIN#CHART', sk: 'CHART' }),
  entry: (entryId: string) => ({ pk: `FIN#ENTRY#${entryId}`, sk: 'ENTRY' }),
  entriesOfDay: (day: string) => `FINDAY#${day}`,
  entriesOfPeriod: (period: string) => `FINPERIOD#${period}`,
  entrySort: (recordedAt: string, entryId: string) => `${recordedAt}#${entryId}`,
  position: (sku: string, locationId: string) => ({ pk: sep('FIN#COST', sku, locationId), sk: 'POS' }),
  positions: 'FINCOSTS',
  positionSort: (sku: string, locationId: string) => `${sku}#${locationId}`,
  positionAt: (sku: string, locationId: string, recordedAt: string, entryId: string) => ({
    pk: sep('FIN#COST', sku, locationId),
    sk: `AT#${recordedAt}#${entryId}`,
  }),
  receiptLine: (receiptRef: string, sku: string, locationId: string) => ({
    pk: `FIN#RECEIPT#${receiptRef}`,
    sk: `LINE#${sku}#${locationId}`,
  }),
  receipt: (receiptRef: string) => `FIN#RECEIPT#${receiptRef}`,
  orderPrices: (orderId: string) => ({ pk: `FIN#ORDER#${orderId}`, sk: 'PRICES' }),
  ordersOfDay: (day: string) => `FINORDERS#${day}`,
  period: (period: string) => ({ pk: `FIN#PERIOD#${period}`, sk: 'PERIOD' }),
  periods: 'FINPERIODS',
  exportRun: (runId: string) => ({ pk: `FIN#EXPORT#${runId}`, sk: 'RUN' }),
  exportRuns: 'FINEXPORTS',
  returned: (returnId: string) => ({ pk: `FIN#RETURN#${returnId}`, sk: 'RETURN' }),
  refundRequest: (returnId: string, attempt: number) => ({
    pk: `FIN#RETURN#${returnId}`,
    // Zero-padded so attempts sort in order.
    sk: `REFUND#${String(attempt).padStart(6, '0')}`,
  }),
};
