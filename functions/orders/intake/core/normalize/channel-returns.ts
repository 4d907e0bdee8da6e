import { z } from 'zod';
import { MAX_ORDER_LINES, MAX_QUANTITY } from '#shared/bounds';
import { IntakeFailure } from '../../../errors.ts';
import type { ChannelType } from '../../schemas/channel.ts';
import { idText, money, parseBody, parsePayload, text } from './draft.ts';

/**
 * Channel return and refund webhooks → what intake hands to returns. Pure functions of the
 * verified raw body; lines still name the channel's line ids (the order maps them to our SKUs).
 */

/** Shopify's return and refund topics (the order topics are normalize/shopify.ts'). */
export const SHOPIFY_RETURN_TOPIC = 'returns/request';
export const SHOPIFY_REFUND_TOPIC = 'refunds/create';

/** A unit line as the channel names it: its line id and, when it says, the SKU. */
export interface ChannelUnitLine {
  lineId?: string;
  sku?: string;
  quantity: number;
  reason?: string;
}

export interface ReturnRequestDraft {
  kind: 'return';
  externalId: string;
  channelReturnId: string;
  lines: ChannelUnitLine[];
  requestedAt: string;
}

export interface RefundDraft {
  kind: 'refund';
  externalId: string;
  channelRefundId: string;
  amount: number;
  currency: string | null;
  note?: string;
  lines: ChannelUnitLine[];
  createdAt: string;
}

const id = z.union([z.string().min(1).max(128), z.number().int()]);
const quantity = z.number().int().min(1).max(MAX_QUANTITY);
const decimal = z.union([z.string().max(40), z.number()]);

const shopifyReturn = z.object({
  id,
  order_id: id.optional(),
  order: z.object({ id }).optional(),
  created_at: z.string().optional(),
  return_line_items: z
    .array(
      z.object({
        quantity,
        return_reason: z.string().max(128).nullable().optional(),
        line_item_id: id.optional(),
        fulfillment_line_item: z
          .object({ line_item: z.object({ id, sku: z.string().nullable().optional() }).optional() })
          .nullable()
          .optional(),
      }),
    )
    .min(1)
    .max(MAX_ORDER_LINES),
});

const shopifyRefund = z.object({
  id,
  order_id: id,
  created_at: z.string().optional(),
  processed_at: z.string().nullable().optional(),
  note: z.string().max(2000).nullable().optional(),
  refund_line_items: z
    .array(
      z.object({
        quantity: z.number().int().min(0).max(MAX_QUANTITY),
        line_item_id: id,
        line_item: z.object({ sku: z.string().nullable().optional() }).optional(),
      }),
    )
    .max(MAX_ORDER_LINES)
    .default([]),
  transactions: z
    .array(
      z.object({
        kind: z.string(),
        status: z.string().nullable().optional(),
        amount: decimal,
        currency: z.string().nullable().optional(),
      }),
    )
    .default([]),
});

/** A refund as WooCommerce's order payload lists it (`refunds`), or as its refunds resource has it. */
const wooRefund = z.object({
  id: z.number().int(),
  reason: z.string().max(2000).nullable().optional(),
  /** The refunds resource: `amount` ("10.00"); the order payload's summary: `total` ("-10.00"). */
  amount: decimal.optional(),
  total: decimal.optional(),
  date_created_gmt: z.string().optional(),
  line_items: z
    .array(
      z.object({
        id: z.number().int().optional(),
        sku: z.string().nullable().optional(),
        /** Negative on WooCommerce refunds. */
        quantity: z.number().int(),
        meta_data: z.array(z.object({ key: z.string(), value: z.unknown() })).optional(),
      }),
    )
    .optional(),
});
const wooOrderRefunds = z.object({
  id: z.number().int(),
  currency: z.string(),
  date_modified_gmt: z.string().nullable().optional(),
  refunds: z.array(wooRefund).max(MAX_ORDER_LINES).default([]),
});

const orderIdOf = (o: {
  order_id?: string | number | undefined;
  order?: { id: string | number } | undefined;
}) => {
  const v = idText(o.order?.id ?? o.order_id);
  if (!v)
    throw new IntakeFailure('INVALID_PAYLOAD', 'The return names no order', [
      { field: 'order_id', message: 'required' },
    ]);
  return v;
};

/** True when the delivery is a return or refund, not an order: it goes to returns, not to order intake. */
export function isReturnTopic(source: ChannelType, topic: string | undefined): boolean {
  return source === 'shopify' && (topic === SHOPIFY_RETURN_TOPIC || topic === SHOPIFY_REFUND_TOPIC);
}

/** Shopify `returns/request` or `refunds/create` → one draft. */
export function normalizeShopifyReturn(
  topic: string,
  rawBody: string,
  receivedAt: string,
): ReturnRequestDraft | RefundDraft {
  const body = parseBody(rawBody);
  if (topic === SHOPIFY_RETURN_TOPIC) {
    const r = parsePayload(shopifyReturn, body, 'Shopify return');
    return {
      kind: 'return',
      externalId: orderIdOf(r),
      channelReturnId: String(r.id),
      lines: r.return_line_items.map((l) => {
        const li = l.fulfillment_line_item?.line_item;
        const lineId = idText(li?.id ?? l.line_item_id);
        const sku = text(li?.sku);
        const reason = text(l.return_reason);
        return {
          ...(lineId ? { lineId } : {}),
          ...(sku ? { sku } : {}),
          quantity: l.quantity,
          ...(reason ? { reason } : {}),
        };
      }),
      requestedAt: r.created_at ?? receivedAt,
    };
  }
  const r = parsePayload(shopifyRefund, body, 'Shopify refund');
  const refunded = r.transactions.filter(
    (t) => t.kind.toLowerCase() === 'refund' && (t.status ?? 'success').toLowerCase() === 'success',
  );
  const currency = refunded.find((t) => t.currency)?.currency?.toUpperCase() ?? null;
  const amount = currency
    ? refunded.reduce((s, t, i) => s + money(t.amount, currency, `transactions.${i}.amount`), 0)
    : 0;
  const note = text(r.note);
  return {
    kind: 'refund',
    externalId: String(r.order_id),
    channelRefundId: String(r.id),
    amount,
    currency,
    ...(note ? { note } : {}),
    lines: r.refund_line_items
      .filter((l) => l.quantity > 0)
      .map((l) => {
        const sku = text(l.line_item?.sku);
        return { lineId: String(l.line_item_id), ...(sku ? { sku } : {}), quantity: l.quantity };
      }),
    createdAt: r.processed_at ?? r.created_at ?? receivedAt,
  };
}

/**
 * The refunds a WooCommerce order payload carries (`order.updated` after a refund). WooCommerce
 * has no refund topic: a refund shows in the order's `refunds`, with its line items when the
 * store sends the refunds resource's shape. Answers none for a body that is not an order.
 */
export function wooOrderRefundDrafts(rawBody: string, receivedAt: string): RefundDraft[] {
  let parsed: z.infer<typeof wooOrderRefunds>;
  try {
    parsed = parsePayload(wooOrderRefunds, parseBody(rawBody), 'WooCommerce order');
  } catch (error) {
    if (error instanceof IntakeFailure) return [];
    throw error;
  }
  const currency = parsed.currency.toUpperCase();
  return parsed.refunds.map((r, i) => {
    const value = r.amount ?? r.total ?? 0;
    const amount = Math.abs(money(value, currency, `refunds.${i}.amount`));
    const reason = text(r.reason);
    return {
      kind: 'refund' as const,
      externalId: String(parsed.id),
      channelRefundId: String(r.id),
      amount,
      currency,
      ...(reason ? { note: reason } : {}),
      lines: (r.line_items ?? [])
        .filter((l) => l.quantity !== 0)
        .map((l) => {
          // A refund's line points at the order's line through `_refunded_item_id`.
          const refunded = l.meta_data?.find((m) => m.key === '_refunded_item_id')?.value;
          const lineId = idText(refunded as string | number | undefined);
          const sku = text(l.sku);
          return { ...(lineId ? { lineId } : {}), ...(sku ? { sku } : {}), quantity: Math.abs(l.quantity) };
        }),
      createdAt: r.date_created_gmt
        ? `${r.date_created_gmt.replace(/Z?$/, '')}Z`
        : (parsed.date_modified_gmt ?? receivedAt),
    };
  });
}
