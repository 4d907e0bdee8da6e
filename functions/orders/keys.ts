import { createHash } from 'node:crypto';

/**
 * Orders item keys — the only place they are composed.
 * - channel:    pk CHANNEL#<channelId>   sk CHANNEL            gsi1: CHANNELS / <type>#<channelId>
 *               (never holds the secret)
 * - listing:    pk CHANNEL#<channelId>   sk LISTING#<externalId>   (channel's external id → SKU)
 *               gsi1: LISTINGSKU#<channelId>#<sku> / <externalId>   (a SKU's listings, for the stock push)
 * - order:      pk ORDER#<orderId>       sk ORDER              gsi1: ORDERS#<channelId> / EXT#<externalId>
 *               orderId is derived from (channelId, externalId), so the order item itself is
 *               the order-identity guard: `attribute_not_exists(pk)` admits one order per
 *               external order, however many deliveries race. The delivery ids that changed
 *               it are recorded on it (`deliveries`), in the same conditional write.
 *               gsi2: ORDERSTATUS#<status> / <placedAt>#<orderId>   (work queues: orders by status,
 *               newest first; kept by the one order store on every write that moves the status)
 * - exception:  pk INTAKEEXC#<exceptionId>  sk EXCEPTION     gsi1: INTAKEEXC#<status> / <receivedAt>#<id>
 *               exceptionId is derived from (channel, delivery id): the dedupe record of a
 *               delivery that could not become an order.
 * - rejection:  pk REJECTED#<rejectionId>   sk REJECTED      gsi1: INTAKE#REJECTED / <receivedAt>#<id>
 * - counter:    pk INTAKE#REJECTIONS        sk <channelId>#<yyyy-mm-dd>  (failed verifications)
 */
export const ordersKeys = {
  channel: (channelId: string) => ({ pk: `CHANNEL#${channelId}`, sk: 'CHANNEL' }),
  channelIndex: (type: string, channelId: string) => ({ gsi1pk: 'CHANNELS', gsi1sk: `${type}#${channelId}` }),
  channelsPartition: 'CHANNELS',
  channelsOfType: (type: string) => `${type}#`,
  listing: (channelId: string, externalId: string) => ({
    pk: `CHANNEL#${channelId}`,
    sk: `LISTING#${externalId}`,
  }),
  listingIndex: (channelId: string, sku: string, externalId: string) => ({
    gsi1pk: `LISTINGSKU#${channelId}#${sku}`,
    gsi1sk: externalId,
  }),
  listingsOfSku: (channelId: string, sku: string) => `LISTINGSKU#${channelId}#${sku}`,
  order: (orderId: string) => ({ pk: `ORDER#${orderId}`, sk: 'ORDER' }),
  /** Whether a stream record's keys are an order item's. */
  isOrder: (keys: { pk?: string; sk?: string }) =>
    keys.sk === 'ORDER' && Boolean(keys.pk?.startsWith('ORDER#')),
  orderIndex: (channelId: string, externalId: string) => ({
    gsi1pk: `ORDERS#${channelId}`,
    gsi1sk: `EXT#${externalId}`,
  }),
  ordersOfChannel: (channelId: string) => `ORDERS#${channelId}`,
  orderStatusIndex: (status: string, placedAt: string, orderId: string) => ({
    gsi2pk: `ORDERSTATUS#${status}`,
    gsi2sk: `${placedAt}#${orderId}`,
  }),
  ordersWithStatus: (status: string) => `ORDERSTATUS#${status}`,
  exception: (exceptionId: string) => ({ pk: `INTAKEEXC#${exceptionId}`, sk: 'EXCEPTION' }),
  exceptionIndex: (status: string, receivedAt: string, exceptionId: string) => ({
    gsi1pk: `INTAKEEXC#${status}`,
    gsi1sk: `${receivedAt}#${exceptionId}`,
  }),
  exceptionsWithStatus: (status: string) => `INTAKEEXC#${status}`,
  rejection: (rejectionId: string) => ({ pk: `REJECTED#${rejectionId}`, sk: 'REJECTED' }),
  rejectionIndex: (receivedAt: string, rejectionId: string) => ({
    gsi1pk: 'INTAKE#REJECTED',
    gsi1sk: `${receivedAt}#${rejectionId}`,
  }),
  rejectionsPartition: 'INTAKE#REJECTED',
  rejectionCounter: (channelId: string, day: string) => ({
    pk: 'INTAKE#REJECTIONS',
    sk: `${channelId}#${day}`,
  }),
};

/** Crockford base32 of a SHA-256 digest, truncated: 26 characters ≈ 130 bits. */
function digestId(input: string): string {
  const alphabet = '0123456789abcdefghjkmnpqrstvwxyz';
  const bytes = createHash('sha256').update(input).digest();
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5 && out.length < 26) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  return out;
}

/** Stable: the same channel and external order id always give the same orderId. */
export const orderIdFor = (channelId: string, externalId: string): string =>
  `ord_${digestId(`order\n${channelId}\n${externalId}`)}`;

/** Stable per delivery, so a retried unmappable delivery lands on the same exception. */
export const exceptionIdFor = (channelKey: string, deliveryId: string): string =>
  `exc_${digestId(`exception\n${channelKey}\n${deliveryId}`)}`;
