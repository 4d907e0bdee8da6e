import type { Channel } from '#orders/api';
import { ChannelCallFailed } from '../core/ports.ts';
import { decimalOf, type RefundNotice, type RefundWriter, refundMarker } from '../core/post-refund.ts';
import type { RetryPolicy } from './http-retry.ts';
import { shopifyGraphql } from './shopify.ts';

const ORDER_FOR_REFUND = `query OrderForRefund($id: ID!) {
  order(id: $id) {
    id
    refunds(first: 50) { id note }
    lineItems(first: 100) { nodes { id sku quantity } }
    transactions(first: 20) { id kind status gateway }
  }
}`;

const REFUND_CREATE = `mutation CreateRefund($input: RefundInput!) {
  refundCreate(input: $input) {
    refund { id }
    userErrors { field message }
  }
}`;

interface OrderAnswer {
  order: {
    id: string;
    refunds: { id: string; note: string | null }[];
    lineItems: { nodes: { id: string; sku: string | null; quantity: number }[] };
    transactions: { id: string; kind: string; status: string; gateway: string }[];
  } | null;
}

const orderGid = (externalId: string) =>
  externalId.startsWith('gid://') ? externalId : `gid://shopify/Order/${externalId}`;

/** The payment a refund goes back to: the order's successful sale or capture. */
const PAID = new Set(['SALE', 'CAPTURE']);

/** Our refunded units per the order's line items, matched by SKU (a SKU on several lines fills them in order). */
export function refundLineItems(
  lineItems: readonly { id: string; sku: string | null; quantity: number }[],
  lines: RefundNotice['lines'],
) {
  const out: { lineItemId: string; quantity: number; restockType: 'NO_RESTOCK' }[] = [];
  for (const l of lines) {
    let left = l.quantity;
    for (const li of lineItems.filter((x) => x.sku === l.sku)) {
      const quantity = Math.min(left, li.quantity);
      if (quantity <= 0) continue;
      // Our stock record restocks returned units (inspection); the channel must not add them again.
      out.push({ lineItemId: li.id, quantity, restockType: 'NO_RESTOCK' });
      left -= quantity;
    }
  }
  return out;
}

/**
 * Shopify: the order's refunds (one carrying this attempt's marker is answered as is: a retry
 * after a crash never refunds twice), then `refundCreate` with the refunded line items and one
 * refund transaction against the order's paid transaction. userErrors are the shop refusing the
 * refund (failed, with Shopify's message); an order with no paid transaction is refused too.
 */
export function shopifyRefundWriter(policy?: RetryPolicy): RefundWriter {
  return {
    async refund(channel: Channel, token: string, notice: RefundNotice) {
      const id = orderGid(notice.externalId);
      const { order } = await shopifyGraphql<OrderAnswer>(
        channel,
        token,
        ORDER_FOR_REFUND,
        { id },
        20,
        policy,
      );
      if (!order) throw new ChannelCallFailed(`Shopify has no order ${notice.externalId}`, true);
      const marker = refundMarker(notice);
      const existing = order.refunds.find((r) => r.note?.includes(marker));
      if (existing) return existing.id;
      const paid = order.transactions.find((t) => PAID.has(t.kind) && t.status === 'SUCCESS');
      if (!paid)
        throw new ChannelCallFailed(
          `Shopify order ${notice.externalId} has no paid transaction to refund`,
          true,
        );
      const data = await shopifyGraphql<{
        refundCreate: { refund: { id: string } | null; userErrors: { message: string }[] };
      }>(
        channel,
        token,
        REFUND_CREATE,
        {
          input: {
            orderId: order.id,
            note: `Return ${notice.returnId} ${marker}`,
            notify: true,
            refundLineItems: refundLineItems(order.lineItems.nodes, notice.lines),
            transactions: [
              {
                orderId: order.id,
                parentId: paid.id,
                gateway: paid.gateway,
                kind: 'REFUND',
                amount: decimalOf(notice.amount, notice.currency),
              },
            ],
          },
        },
        10,
        policy,
      );
      const created = data.refundCreate;
      if (created.userErrors.length || !created.refund)
        throw new ChannelCallFailed(
          `Shopify: ${created.userErrors.map((e) => e.message).join('; ') || 'no refund'}`,
          true,
        );
      return created.refund.id;
    },
  };
}
