import type { StoredOrder } from '../schemas/canonical-order.ts';

/** An order as the API shows it: the canonical order plus its id and status, no bookkeeping. */
export function orderView(order: StoredOrder) {
  const { lastEvent: _event, deliveries: _deliveries, ...view } = order;
  return view;
}
