import type { StoredOrder } from '../../schemas/canonical-order.ts';
import { amazonOrderChange } from '../schemas/amazon-order-change.ts';
import type { Channel } from '../schemas/channel.ts';

/** Before payment Amazon gives no address (and often no prices); a cancellation needs none. */
const NO_DETAILS_YET = new Set(['Pending', 'PendingAvailability', 'Canceled']);

/**
 * The order an ORDER_CHANGE should be enriched for, or undefined to take the notification as
 * it is: only for a channel with SP-API credentials, a merchant-fulfilled order past payment,
 * and an order we do not have in full (never seen, or taken from a notification alone).
 */
export function amazonDetailsWanted(
  channel: Channel | undefined,
  rawBody: string,
): { amazonOrderId: string } | undefined {
  if (channel?.type !== 'amazon' || !channel.connection?.tokenRef) return undefined;
  let body: unknown;
  try {
    body = JSON.parse(rawBody);
  } catch {
    return undefined;
  }
  // Anything malformed goes through intake as it is, which records the exception.
  const parsed = amazonOrderChange.safeParse(body);
  if (!parsed.success) return undefined;
  const change = parsed.data.Payload.OrderChangeNotification;
  const summary = change.Summary;
  if (summary?.FulfillmentType === 'AFN' || NO_DETAILS_YET.has(summary?.OrderStatus ?? '')) return undefined;
  return { amazonOrderId: change.AmazonOrderId };
}

/** An order we hold in full needs nothing from the Orders API: its notifications move its status. */
export const knownInFull = (order: StoredOrder | undefined) => Boolean(order && !order.detailsPending);
