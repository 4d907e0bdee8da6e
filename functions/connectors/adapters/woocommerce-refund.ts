import { decimalOf, type RefundNotice, type RefundWriter, refundMarker } from '../core/post-refund.ts';
import { DEFAULT_RETRY, type RetryPolicy } from './http-retry.ts';
import { wooRequest } from './woocommerce.ts';

interface WooOrder {
  id: number;
  line_items: { id: number; sku: string | null; quantity: number }[];
}

/** Our refunded units and their amounts per the order's line items, matched by SKU. */
export function wooRefundLines(
  lineItems: readonly WooOrder['line_items'][number][],
  lines: RefundNotice['lines'],
  currency: string | null,
) {
  const out: { id: number; quantity: number; refund_total: string }[] = [];
  for (const l of lines) {
    let left = l.quantity;
    let given = 0;
    for (const li of lineItems.filter((x) => x.sku === l.sku)) {
      const quantity = Math.min(left, li.quantity);
      if (quantity <= 0) continue;
      left -= quantity;
      // The last part takes what rounding left, so the parts sum to the line's amount.
      const amount = left === 0 ? l.amount - given : Math.round((l.amount * quantity) / l.quantity);
      given += amount;
      out.push({ id: li.id, quantity, refund_total: decimalOf(amount, currency) });
    }
  }
  return out;
}

/**
 * WooCommerce: the order's refunds (one whose reason carries this attempt's marker is answered as
 * is), then `POST orders/{id}/refunds` with the amount, the refunded line items and
 * `api_refund: true` (the payment gateway refunds the customer). A 4xx is the store refusing it.
 */
export function wooRefundWriter(policy: RetryPolicy = DEFAULT_RETRY): RefundWriter {
  return {
    async refund(channel, token, notice) {
      const id = encodeURIComponent(notice.externalId);
      const marker = refundMarker(notice);
      const refunds = await wooRequest<{ id: number; reason: string | null }[]>(
        channel,
        token,
        'GET',
        `/orders/${id}/refunds`,
        undefined,
        policy,
      );
      const existing = refunds.find((r) => r.reason?.includes(marker));
      if (existing) return String(existing.id);
      const order = await wooRequest<WooOrder>(channel, token, 'GET', `/orders/${id}`, undefined, policy);
      const created = await wooRequest<{ id: number }>(
        channel,
        token,
        'POST',
        `/orders/${id}/refunds`,
        {
          amount: decimalOf(notice.amount, notice.currency),
          reason: `Return ${notice.returnId} ${marker}`,
          api_refund: true,
          line_items: wooRefundLines(order.line_items ?? [], notice.lines, notice.currency),
        },
        policy,
      );
      return String(created.id);
    },
  };
}
