import { z } from 'zod';
import { MAX_ORDER_DISCOUNTS, MAX_ORDER_LINES, MAX_QUANTITY } from '#shared/bounds';

/**
 * The slice of Shopify's Order webhook payload intake reads (topics orders/create,
 * orders/updated, orders/cancelled). Unknown fields are ignored: Shopify adds fields with
 * every API version. Amounts are decimal strings.
 */
const id = z.union([z.number().int(), z.string().min(1)]);
/** Decimal text or a JSON number; converted to minor units and checked against MAX_MONEY_MINOR later. */
const decimal = z.union([z.string().max(40), z.number()]);
/** A line's units: 0 (dropped) … MAX_QUANTITY; more becomes a QUANTITY_OUT_OF_RANGE intake exception. */
const quantity = z.number().int().nonnegative().max(MAX_QUANTITY);
const nullableText = z.string().nullable().optional();

const address = z
  .object({
    name: nullableText,
    first_name: nullableText,
    last_name: nullableText,
    company: nullableText,
    address1: nullableText,
    address2: nullableText,
    city: nullableText,
    province: nullableText,
    province_code: nullableText,
    zip: nullableText,
    country_code: nullableText,
    phone: nullableText,
  })
  .nullable()
  .optional();

export const shopifyLineItem = z.object({
  id,
  variant_id: id.nullable().optional(),
  product_id: id.nullable().optional(),
  sku: nullableText,
  title: nullableText,
  name: nullableText,
  quantity,
  /** Quantity after order edits (newer API versions); preferred when present. */
  current_quantity: quantity.optional(),
  price: decimal,
  total_discount: decimal.optional(),
  discount_allocations: z
    .array(z.object({ amount: decimal }))
    .max(MAX_ORDER_DISCOUNTS)
    .optional(),
  gift_card: z.boolean().optional(),
});

export const shopifyOrder = z.object({
  id,
  name: nullableText,
  created_at: z.string(),
  updated_at: nullableText,
  cancelled_at: nullableText,
  cancel_reason: nullableText,
  currency: z.string(),
  financial_status: nullableText,
  fulfillment_status: nullableText,
  taxes_included: z.boolean().optional(),
  total_discounts: decimal.nullable().optional(),
  total_price: decimal.nullable().optional(),
  total_tax: decimal.nullable().optional(),
  total_shipping_price_set: z
    .object({ shop_money: z.object({ amount: decimal }) })
    .nullable()
    .optional(),
  discount_codes: z
    .array(z.object({ code: nullableText, amount: decimal }))
    .max(MAX_ORDER_DISCOUNTS)
    .nullable()
    .optional(),
  customer: z.object({ id }).nullable().optional(),
  shipping_address: address,
  shipping_lines: z
    .array(z.object({ code: nullableText, title: nullableText, price: decimal.optional() }))
    .nullable()
    .optional(),
  line_items: z.array(shopifyLineItem).max(MAX_ORDER_LINES),
});
