import { startFakeAmazon } from '../test/support/fakes/amazon.ts';
import { startFakeShopify } from '../test/support/fakes/shopify.ts';
import { type Bench, measure } from './context.ts';

/**
 * Stock change → channel API call: from POST /api/inventory/adjustments until the fake Shopify
 * (127.0.0.1, answers at once, bucket never short) applies `inventorySetQuantities` with the new
 * number — the adjustment, the stream consumer's recompute and ChannelAvailabilityChanged, the
 * bus, the pusher's claim, reads and the GraphQL call. One worker per SKU, so each change's push
 * is its own (no coalescing). Target: p99 < 1 s with the channel healthy.
 */
const bench: Bench = async ({ runtime, scale }) => {
  const token = 'shpat_bench';
  const shopify = await startFakeShopify({ token });
  shopify.bucket.restoreRate = 10_000;
  const workers = 8;
  const total = Math.max(40, Math.round(400 * scale));
  try {
    await runtime.api('PUT', '/api/locations/BENCH-CN', { body: { name: 'Bench', type: 'warehouse' } });
    const skus = Array.from({ length: workers }, (_, i) => `BENCH-CN-${i}`);
    for (const sku of skus) await runtime.api('PUT', `/api/skus/${sku}`, { body: { name: sku } });
    await runtime.api('PUT', '/api/channels/bench-shop', {
      body: {
        type: 'shopify',
        secret: 'bench-secret',
        locationIds: ['BENCH-CN'],
        connection: {
          apiBaseUrl: shopify.url,
          accessToken: token,
          locationMap: { 'BENCH-CN': 'gid://shopify/Location/1' },
        },
      },
    });
    for (const [i, sku] of skus.entries())
      await runtime.api('PUT', `/api/channels/bench-shop/listings/${i + 1}`, {
        body: { sku, inventoryItemId: `gid://shopify/InventoryItem/${i + 1}` },
      });
    await runtime.settle();
    const onHand = skus.map(() => 0);
    const change = async (i: number) => {
      const w = (i % 1_000_000) % workers;
      onHand[w] = (onHand[w] ?? 0) + 1;
      const arrived = shopify.waitFor(
        `gid://shopify/InventoryItem/${w + 1}|gid://shopify/Location/1`,
        onHand[w] ?? 0,
      );
      const res = await runtime.api('POST', '/api/inventory/adjustments', {
        body: {
          sku: skus[w],
          locationId: 'BENCH-CN',
          delta: 1,
          reason: 'bench',
          idempotencyKey: `bench-cn-${i}`,
        },
      });
      if (res.status !== 201) throw new Error(`adjustment answered ${res.status}`);
      await arrived;
    };
    // Warm every function up once, so cold starts do not count.
    for (let i = 0; i < workers; i++) await change(i);
    // One change at a time: the path's own latency, no queueing behind our own load.
    const sequential = await measure(Math.max(20, Math.round(100 * scale)), 1, (i) => change(i + workers));
    const concurrent = await measure(total, workers, (i) => change(i + workers + 1_000_000));
    await runtime.settle();
    const amazon = await amazonCase(runtime, scale);
    return {
      stockChangeToChannelCall: sequential,
      stockChangeToChannelCallConcurrent: { ...concurrent, concurrency: workers },
      channelCalls: shopify.requests.length,
      amazonStockChangeToListingsPatch: amazon,
      note: 'latency = adjustment over HTTP → stream recompute → ChannelAvailabilityChanged → pusher (lease, reads) → inventorySetQuantities applied at the fake shop',
    };
  } finally {
    await shopify.close();
  }
};

/**
 * The same path to Amazon: adjustment → … → Listings Items `PATCH` applied at the fake SP-API
 * (LWA token cached after the warm-up, pacing at the real 5/s plan). One change at a time, on
 * SKUs and a location of its own so the Shopify channel has nothing to push.
 */
async function amazonCase(runtime: Parameters<Bench>[0]['runtime'], scale: number) {
  const creds = { clientId: 'bench-client', clientSecret: 'bench-secret', refreshToken: 'Atzr|bench' };
  const amazon = await startFakeAmazon({ ...creds, sellerId: 'ABENCHSELLER' });
  amazon.listingsPlan.rate = 1000;
  amazon.listingsPlan.burst = 1000;
  try {
    await runtime.api('PUT', '/api/locations/BENCH-AZ', { body: { name: 'Bench AZ', type: 'warehouse' } });
    const skus = ['BENCH-AZ-0', 'BENCH-AZ-1'];
    for (const sku of skus) await runtime.api('PUT', `/api/skus/${sku}`, { body: { name: sku } });
    await runtime.api('PUT', '/api/channels/bench-amz', {
      body: {
        type: 'amazon',
        sellerId: 'ABENCHSELLER',
        marketplaceIds: ['ATVPDKIKX0DER'],
        locationIds: ['BENCH-AZ'],
        connection: {
          apiBaseUrl: amazon.url,
          lwaUrl: amazon.url,
          lwaClientId: creds.clientId,
          lwaClientSecret: creds.clientSecret,
          refreshToken: creds.refreshToken,
        },
      },
    });
    for (const sku of skus)
      await runtime.api('PUT', `/api/channels/bench-amz/listings/S-${sku}`, { body: { sku } });
    await runtime.settle();
    const onHand = skus.map(() => 0);
    const change = async (i: number) => {
      const w = i % skus.length;
      onHand[w] = (onHand[w] ?? 0) + 1;
      const arrived = amazon.waitFor(`S-${skus[w]}`, onHand[w] ?? 0);
      const res = await runtime.api('POST', '/api/inventory/adjustments', {
        body: {
          sku: skus[w],
          locationId: 'BENCH-AZ',
          delta: 1,
          reason: 'bench',
          idempotencyKey: `bench-az-${i}`,
        },
      });
      if (res.status !== 201) throw new Error(`adjustment answered ${res.status}`);
      await arrived;
    };
    for (let i = 0; i < skus.length; i++) await change(i);
    const sequential = await measure(Math.max(20, Math.round(60 * scale)), 1, (i) => change(i + skus.length));
    await runtime.settle();
    return { ...sequential, listingsPatches: amazon.patches.length, lwaTokens: amazon.issued.lwa };
  } finally {
    await amazon.close();
  }
}

export default bench;
