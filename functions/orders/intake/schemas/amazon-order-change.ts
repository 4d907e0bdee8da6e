import { z } from 'zod';
import { MAX_ORDER_LINES, MAX_QUANTITY } from '#shared/bounds';

/**
 * Selling Partner API ORDER_CHANGE notification (payload version 1.0), as the `detail` of the
 * EventBridge event the partner event source delivers. It summarises the order: items with
 * SellerSKU and quantity, but no prices and no address.
 */
export const amazonOrderChange = z.object({
  NotificationType: z.literal('ORDER_CHANGE'),
  EventTime: z.string(),
  Payload: z.object({
    OrderChangeNotification: z.object({
      SellerId: z.string().min(1),
      AmazonOrderId: z.string().min(1),
      OrderChangeType: z.string().optional(),
      OrderChangeTrigger: z
        .object({ TimeOfOrderChange: z.string().optional(), ChangeReason: z.string().optional() })
        .optional(),
      Summary: z
        .object({
          MarketplaceId: z.string().optional(),
          OrderStatus: z.string(),
          PurchaseDate: z.string().nullable().optional(),
          FulfillmentType: z.string().nullable().optional(),
          OrderItems: z
            .array(
              z.object({
                OrderItemId: z.string().min(1),
                SellerSKU: z.string().nullable().optional(),
                /** 0 (dropped) … MAX_QUANTITY; more becomes a QUANTITY_OUT_OF_RANGE intake exception. */
                Quantity: z.number().int().nonnegative().max(MAX_QUANTITY),
              }),
            )
            .max(MAX_ORDER_LINES)
            .nullable()
            .optional(),
        })
        .optional(),
    }),
  }),
  NotificationMetadata: z.object({ NotificationId: z.string().min(1) }).optional(),
});
