/**
 * Returns item keys — the only place they are composed.
 * - return:     pk RETURN#<returnId>        sk RETURN
 *   gsi1: RETURNS#<status> / <createdAt>#<returnId>      (a status's returns, newest last)
 *   gsi2: ORDERRETURNS#<orderId> / <createdAt>#<returnId> (an order's returns)
 * - inspection: pk RETURN#<returnId>        sk INSPECTION#<inspectionId> (makes a retried inspection count once)
 * - tally:      pk RETURNTALLY#<orderId>    sk TALLY (units of each SKU under open or done returns of
 *   the order; the condition that keeps two returns of one order within what shipped)
 * - settings:   pk RETURNSETTINGS           sk SETTINGS
 */
export const returnKeys = {
  ret: (returnId: string) => ({ pk: `RETURN#${returnId}`, sk: 'RETURN' }),
  byStatus: (r: { status: string; createdAt: string; returnId: string }) => ({
    gsi1pk: returnKeys.statusPartition(r.status),
    gsi1sk: `${r.createdAt}#${r.returnId}`,
  }),
  statusPartition: (status: string) => `RETURNS#${status}`,
  byOrder: (r: { orderId: string; createdAt: string; returnId: string }) => ({
    gsi2pk: returnKeys.orderPartition(r.orderId),
    gsi2sk: `${r.createdAt}#${r.returnId}`,
  }),
  orderPartition: (orderId: string) => `ORDERRETURNS#${orderId}`,
  inspection: (returnId: string, inspectionId: string) => ({
    pk: `RETURN#${returnId}`,
    sk: `INSPECTION#${inspectionId}`,
  }),
  tally: (orderId: string) => ({ pk: `RETURNTALLY#${orderId}`, sk: 'TALLY' }),
  settings: () => ({ pk: 'RETURNSETTINGS', sk: 'SETTINGS' }),
};
