import { randomUUID } from 'node:crypto';
import { channelAvailability, channelSkus, routableStock } from '#inventory/api';
import { channelOf, listingsOfSku, takeAmazonOrderDetails } from '#orders/api';
import { documentClient } from '#shared/clients';
import { getOptionalEnv } from '#shared/env';
import { derivedEvent, eventBridgePublisher } from '#shared/events';
import { secretStore } from '#shared/secrets';
import { tableName } from '#shared/table';
import type { EnrichPorts } from '../core/enrich-amazon-order.ts';
import type { PushPorts, PushSettings } from '../core/ports.ts';
import type { RefundPorts } from '../core/post-refund.ts';
import type { ShipPorts } from '../core/ship-to-channel.ts';
import { ChannelRefundPosted } from '../events/refund-posted.ts';
import { amazonShipmentWriter, amazonStockWriter } from './amazon.ts';
import { fetchAmazonOrder } from './amazon-orders.ts';
import { DEFAULT_RETRY, type RetryPolicy } from './http-retry.ts';
import { dynamoRefundClaims } from './refund-claims.ts';
import { dynamoShipmentClaims } from './shipment-claims.ts';
import { shopifyStockWriter } from './shopify.ts';
import { shopifyShipmentWriter } from './shopify-fulfillment.ts';
import { shopifyRefundWriter } from './shopify-refund.ts';
import { dynamoSyncStore } from './sync-store.ts';
import { wooShipmentWriter, wooStockWriter } from './woocommerce.ts';
import { wooRefundWriter } from './woocommerce-refund.ts';

/** Tuning the deployer (or a test) may set; the defaults are production's. */
const envMs = (name: string, fallback: number) => {
  const raw = getOptionalEnv(name);
  const n = raw === undefined ? Number.NaN : Number(raw);
  return Number.isFinite(n) && n >= 0 ? n : fallback;
};

export const retryPolicy = (): RetryPolicy => ({
  ...DEFAULT_RETRY,
  backoffMs: envMs('QM_CONNECTOR_BACKOFF_MS', DEFAULT_RETRY.backoffMs),
});

export const pushSettings = (): PushSettings => ({
  // Longer than the retry deadline (25 s) and the function's timeout, so pushes never overlap.
  leaseMs: 60_000,
  degradeAfterMs: envMs('QM_CONNECTOR_DEGRADE_AFTER_MS', 60_000),
  batchSize: 50,
});

/** The stock push wired to the table, orders' channels, inventory's numbers, the channels' APIs and the bus. */
export function pushPorts(): PushPorts {
  const policy = retryPolicy();
  return {
    sync: dynamoSyncStore(documentClient(), tableName()),
    channels: { get: channelOf },
    listings: listingsOfSku,
    availability: channelAvailability,
    async availabilityByLocation(sku) {
      const stock = (await routableStock([sku])).get(sku) ?? new Map();
      return new Map([...stock].map(([loc, s]) => [loc, s.available]));
    },
    channelSkus,
    secrets: secretStore(),
    writers: {
      shopify: shopifyStockWriter(policy),
      woocommerce: wooStockWriter(policy),
      amazon: amazonStockWriter(policy),
    },
    events: eventBridgePublisher(),
    clock: () => new Date(),
    settings: pushSettings(),
  };
}

/** Shipments to channels wired to orders' channels, the claims in the table and the channels' APIs. */
export function shipPorts(): ShipPorts {
  const policy = retryPolicy();
  return {
    channels: { get: channelOf },
    secrets: secretStore(),
    claims: dynamoShipmentClaims(documentClient(), tableName()),
    writers: {
      shopify: shopifyShipmentWriter(policy),
      woocommerce: wooShipmentWriter(policy),
      amazon: amazonShipmentWriter(policy),
    },
    clock: () => new Date(),
    // Longer than a call's retry deadline: a claim is never taken over while its call may still land.
    leaseMs: 60_000,
    newOwner: randomUUID,
  };
}

/** Refunds to channels wired to orders' channels, the claims in the table, the channels' APIs and the bus. */
export function refundPorts(): RefundPorts {
  const policy = retryPolicy();
  const bus = eventBridgePublisher();
  return {
    channels: { get: channelOf },
    secrets: secretStore(),
    claims: dynamoRefundClaims(documentClient(), tableName()),
    writers: { shopify: shopifyRefundWriter(policy), woocommerce: wooRefundWriter(policy) },
    async announce(notice, outcome, at, correlationId) {
      await bus.publish([
        derivedEvent(
          ChannelRefundPosted,
          {
            returnId: notice.returnId,
            channelId: notice.channelId,
            attempt: notice.attempt,
            ...outcome,
            at,
          },
          `${notice.channelId}\n${notice.returnId}\n${notice.attempt}`,
          at,
          correlationId,
        ),
      ]);
    },
    clock: () => new Date(),
    // Longer than a call's retry deadline: a claim is never taken over while its call may still land.
    leaseMs: 60_000,
    newOwner: randomUUID,
  };
}

/** Amazon order enrichment wired to orders' channels and intake, and the SP-API Orders API. */
export function amazonOrderPorts(): EnrichPorts {
  const policy = retryPolicy();
  return {
    channels: { get: channelOf },
    secrets: secretStore(),
    fetchOrder: (channel, secret, amazonOrderId) => fetchAmazonOrder(channel, secret, amazonOrderId, policy),
    take: takeAmazonOrderDetails,
  };
}
