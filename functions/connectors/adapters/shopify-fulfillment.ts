import type { Channel } from '#orders/api';
import { ChannelCallFailed } from '../core/ports.ts';
import type { ShipmentNotice, ShipmentWriter } from '../core/ship-to-channel.ts';
import type { RetryPolicy } from './http-retry.ts';
import { shopifyGraphql } from './shopify.ts';

const ORDER_FULFILLMENT = `query OrderFulfillment($id: ID!) {
  order(id: $id) {
    id
    fulfillments(first: 50) { id trackingInfo(first: 5) { company number url } }
    fulfillmentOrders(first: 20) {
      nodes { id status lineItems(first: 100) { nodes { id sku remainingQuantity } } }
    }
  }
}`;

const FULFILLMENT_CREATE = `mutation CreateFulfillment($fulfillment: FulfillmentInput!) {
  fulfillmentCreate(fulfillment: $fulfillment) {
    fulfillment { id status }
    userErrors { field message }
  }
}`;

interface OrderAnswer {
  order: {
    id: string;
    fulfillments: { id: string; trackingInfo: { number: string | null }[] }[];
    fulfillmentOrders: {
      nodes: {
        id: string;
        status: string;
        lineItems: { nodes: { id: string; sku: string | null; remainingQuantity: number }[] };
      }[];
    };
  } | null;
}

const orderGid = (externalId: string) =>
  externalId.startsWith('gid://') ? externalId : `gid://shopify/Order/${externalId}`;

/** Fulfillment orders still to ship from (Shopify's names for open work). */
const OPEN = new Set(['OPEN', 'IN_PROGRESS']);

/**
 * The shipment's units per open fulfillment order, matched by SKU; when none of our SKUs is on
 * them (a listing mapped to another SKU code), every open fulfillment order ships whole.
 */
export function fulfillmentLines(
  fulfillmentOrders: NonNullable<OrderAnswer['order']>['fulfillmentOrders']['nodes'],
  lines: ShipmentNotice['lines'],
) {
  const left = new Map<string, number>();
  for (const l of lines) left.set(l.sku, (left.get(l.sku) ?? 0) + l.quantity);
  const open = fulfillmentOrders.filter((fo) => OPEN.has(fo.status));
  const matched = open
    .map((fo) => ({
      fulfillmentOrderId: fo.id,
      fulfillmentOrderLineItems: fo.lineItems.nodes.flatMap((li) => {
        const want = li.sku ? (left.get(li.sku) ?? 0) : 0;
        const quantity = Math.min(want, li.remainingQuantity);
        if (quantity <= 0 || !li.sku) return [];
        left.set(li.sku, want - quantity);
        return [{ id: li.id, quantity }];
      }),
    }))
    .filter((fo) => fo.fulfillmentOrderLineItems.length > 0);
  return matched.length > 0 ? matched : open.map((fo) => ({ fulfillmentOrderId: fo.id }));
}

/**
 * Shopify: the order's fulfillment orders, then `fulfillmentCreate` with tracking and customer
 * notification. A fulfillment already carrying our tracking number is answered as is (a retry
 * after a crash between the call and our record of it never creates a second one).
 */
export function shopifyShipmentWriter(policy?: RetryPolicy): ShipmentWriter {
  return {
    async confirm(channel: Channel, token: string, shipment: ShipmentNotice) {
      const { order } = await shopifyGraphql<OrderAnswer>(
        channel,
        token,
        ORDER_FULFILLMENT,
        { id: orderGid(shipment.externalId) },
        30,
        policy,
      );
      if (!order) throw new ChannelCallFailed(`Shopify has no order ${shipment.externalId}`);
      const existing = order.fulfillments.find((f) =>
        f.trackingInfo.some((t) => t.number === shipment.trackingNumber),
      );
      if (existing) return existing.id;
      const lineItemsByFulfillmentOrder = fulfillmentLines(order.fulfillmentOrders.nodes, shipment.lines);
      if (lineItemsByFulfillmentOrder.length === 0)
        throw new ChannelCallFailed(`Shopify order ${shipment.externalId} has nothing open to fulfill`);
      const data = await shopifyGraphql<{
        fulfillmentCreate: { fulfillment: { id: string } | null; userErrors: { message: string }[] };
      }>(
        channel,
        token,
        FULFILLMENT_CREATE,
        {
          fulfillment: {
            lineItemsByFulfillmentOrder,
            notifyCustomer: true,
            trackingInfo: {
              company: shipment.carrier,
              number: shipment.trackingNumber,
              ...(shipment.trackingUrl ? { url: shipment.trackingUrl } : {}),
            },
          },
        },
        10,
        policy,
      );
      const created = data.fulfillmentCreate;
      if (created.userErrors.length || !created.fulfillment)
        throw new ChannelCallFailed(
          `Shopify: ${created.userErrors.map((e) => e.message).join('; ') || 'no fulfillment'}`,
        );
      return created.fulfillment.id;
    },
  };
}
