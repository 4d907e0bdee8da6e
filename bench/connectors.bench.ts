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
    return {
      stockChangeToChannelCall: sequential,
      stockChangeToChannelCallConcurrent: { ...concurrent, concurrency: workers },
      channelCalls: shopify.requests.length,
      note: 'latency = adjustment over HTTP → stream recompute → ChannelAvailabilityChanged → pusher (lease, reads) → inventorySetQuantities applied at the fake shop',
    };
  } finally {
    await shopify.close();
  }
};
export default bench;
