import { z } from 'zod';
import { MAX_ORDER_DISCOUNTS, MAX_ORDER_LINES, MAX_QUANTITY } from '#shared/bounds';

/**
 * The slice of WooCommerce's order webhook payload (REST API v3 order shape, topics
 * order.created / order.updated) intake reads. Totals are decimal strings; a line's `price`
 * is a JSON number, read by its exact source text (see exact-json.ts).
 */
/** Decimal text or a JSON number; converted to minor units and checked against MAX_MONEY_MINOR later. */
const decimal = z.union([z.string().max(40), z.number()]);
const nullableText = z.string().nullable().optional();

const address = z
  .object({
    first_name: nullableText,
    last_name: nullableText,
    company: nullableText,
    address_1: nullableText,
    address_2: nullableText,
    city: nullableText,
    state: nullableText,
    postcode: nullableText,
    country: nullableText,
    phone: nullableText,
  })
  .nullable()
  .optional();

export const wooLineItem = z.object({
  id: z.number().int(),
  name: nullableText,
  product_id: z.number().int().nullable().optional(),
  variation_id: z.number().int().nullable().optional(),
  /** 0 (dropped) … MAX_QUANTITY; more becomes a QUANTITY_OUT_OF_RANGE intake exception. */
  quantity: z.number().int().nonnegative().max(MAX_QUANTITY),
  sku: nullableText,
  price: decimal,
  subtotal: decimal.optional(),
  total: decimal.optional(),
});

export const wooOrder = z.object({
  id: z.number().int(),
  number: z.union([z.string(), z.number()]).optional(),
  status: z.string(),
  currency: z.string(),
  date_created_gmt: z.string(),
  date_modified_gmt: nullableText,
  date_paid_gmt: nullableText,
  discount_total: decimal.optional(),
  shipping_total: decimal.optional(),
  total: decimal.optional(),
  total_tax: decimal.optional(),
  prices_include_tax: z.boolean().optional(),
  customer_id: z.number().int().nullable().optional(),
  shipping: address,
  line_items: z.array(wooLineItem).max(MAX_ORDER_LINES),
  shipping_lines: z
    .array(z.object({ method_title: nullableText, method_id: nullableText, total: decimal.optional() }))
    .optional(),
  coupon_lines: z
    .array(z.object({ code: nullableText, discount: decimal.optional() }))
    .max(MAX_ORDER_DISCOUNTS)
    .optional(),
});

/** order.deleted carries only the id. */
export const wooDeletedOrder = z.object({ id: z.number().int() });
