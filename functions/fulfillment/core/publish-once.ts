import type { DomainEvent } from '#shared/events';
import type { ShippingPorts, ShippingRecord } from './shipping-ports.ts';

/**
 * How long a publisher's claim on an event holds: six times the 10 s timeout of the commands
 * that publish (pack, ship), so a live claim always belongs to a function that may still publish,
 * and a stale one to a function that died between its write and its publish.
 */
export const PUBLISH_LEASE_MS = 60_000;

/**
 * Publishes `event` once per fulfillment and detail type, with many would-be publishers (the
 * command, its retries, the workflow's backstop). Each first claims the event on the item (a
 * conditional write: not published, no live claim), and only the claimant publishes and then
 * marks it published. Answers true when the event is out (now or before), false when another
 * publisher holds a live claim: it will publish, or its claim goes stale and the next caller does.
 */
export async function publishOnce(
  ports: Pick<ShippingPorts, 'shipments' | 'events' | 'clock'>,
  f: Pick<ShippingRecord, 'fulfillmentId' | 'published'>,
  event: DomainEvent,
): Promise<boolean> {
  const type = event.detailType;
  if (f.published?.includes(type)) return true;
  const now = ports.clock().getTime();
  const claimed = await ports.shipments.claimPublish(f.fulfillmentId, type, {
    at: new Date(now).toISOString(),
    staleBefore: new Date(now - PUBLISH_LEASE_MS).toISOString(),
  });
  if (!claimed) return false;
  await ports.events.publish([event]);
  await ports.shipments.markPublished(f.fulfillmentId, type);
  return true;
}
