import { z } from 'zod';
import { MAX_ORDER_LINES, MAX_QUANTITY } from '#shared/bounds';

/** SP-API `Money`: decimal text and its currency. */
const money = z.object({ CurrencyCode: z.string(), Amount: z.string() });

/**
 * What connectors fetched from the Orders API v0 for an ORDER_CHANGE (`OrderDetails` next to
 * the notification in the delivery's body): `getOrder`'s payload, every `getOrderItems` item
 * (all pages), and `getOrderAddress`'s `ShippingAddress` (restricted data; null when Amazon
 * gave none). Only the fields intake reads are named; the rest is kept in the raw body.
 */
export const amazonOrderDetails = z.object({
  order: z.object({
    AmazonOrderId: z.string().min(1),
    PurchaseDate: z.string(),
    LastUpdateDate: z.string().optional(),
    OrderStatus: z.string(),
    FulfillmentChannel: z.string().optional(),
    MarketplaceId: z.string().optional(),
    OrderTotal: money.optional(),
    ShipServiceLevel: z.string().optional(),
    ShipmentServiceLevelCategory: z.string().optional(),
  }),
  orderItems: z
    .array(
      z.object({
        OrderItemId: z.string().min(1),
        SellerSKU: z.string().nullable().optional(),
        Title: z.string().optional(),
        /** 0 (cancelled) … MAX_QUANTITY. */
        QuantityOrdered: z.number().int().nonnegative().max(MAX_QUANTITY),
        /** For all units of the item, not per unit. */
        ItemPrice: money.optional(),
        ItemTax: money.optional(),
        ShippingPrice: money.optional(),
        ShippingTax: money.optional(),
        ShippingDiscount: money.optional(),
        PromotionDiscount: money.optional(),
      }),
    )
    .max(MAX_ORDER_LINES),
  shippingAddress: z
    .object({
      Name: z.string().optional(),
      CompanyName: z.string().optional(),
      AddressLine1: z.string().optional(),
      AddressLine2: z.string().optional(),
      AddressLine3: z.string().optional(),
      City: z.string().optional(),
      StateOrRegion: z.string().optional(),
      PostalCode: z.string().optional(),
      CountryCode: z.string().optional(),
      Phone: z.string().optional(),
    })
    .nullable(),
});
