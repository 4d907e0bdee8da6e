import { describe, expect, it } from 'vitest';
import { fetchWithRetry, retryAfterMs } from '#connectors/adapters/http-retry';
import { fulfillmentLines } from '#connectors/adapters/shopify-fulfillment';
import { splitAcrossLocations } from '#connectors/core/locations';
import type { ChannelHealth, PushPorts, StockEntry, SyncStore } from '#connectors/core/ports';
import { ChannelCallFailed } from '#connectors/core/ports';
import { drain, markAndPush } from '#connectors/core/push-stock';
import type { DomainEvent } from '#shared/events';

/** The sync store's conditional semantics, in memory. */
function memorySync(): SyncStore & {
  items: Map<string, { desired: number; pushed: number; owner?: string; until?: number }>;
} {
  const items = new Map<string, { desired: number; pushed: number; owner?: string; until?: number }>();
  const health = new Map<string, ChannelHealth & { revision: number }>();
  const key = (c: string, s: string) => `${c}|${s}`;
  return {
    items,
    async mark(c, s) {
      const it = items.get(key(c, s)) ?? { desired: 0, pushed: 0 };
      it.desired++;
      items.set(key(c, s), it);
    },
    async claim(c, s, owner, now, lease) {
      const it = items.get(key(c, s));
      if (!it || it.desired <= it.pushed) return undefined;
      if (it.until !== undefined && it.until >= now && it.owner !== owner) return undefined;
      it.owner = owner;
      it.until = now + lease;
      return it.desired;
    },
    async complete(c, s, owner, version) {
      const it = items.get(key(c, s));
      if (!it || it.owner !== owner) return false;
      it.pushed = version;
      it.owner = undefined;
      it.until = undefined;
      return it.desired === version;
    },
    async release(c, s, owner) {
      const it = items.get(key(c, s));
      if (it?.owner === owner) {
        it.owner = undefined;
        it.until = undefined;
      }
    },
    async pending(c) {
      return [...items]
        .filter(([k, v]) => k.startsWith(`${c}|`) && v.desired > v.pushed)
        .map(([k]) => k.split('|')[1] as string);
    },
    async pendingChannels() {
      return [];
    },
    async health(c) {
      return (
        health.get(c) ?? {
          channelId: c,
          state: 'healthy',
          consecutiveFailures: 0,
          recentFailures: [],
          revision: 0,
        }
      );
    },
    async saveHealth(next, read) {
      const current = health.get(next.channelId)?.revision ?? 0;
      if (
        current !== (read as { revision?: number }).revision &&
        !(current === 0 && !health.has(next.channelId))
      )
        return false;
      health.set(next.channelId, { ...next, revision: current + 1 });
      return true;
    },
  };
}

function ports(overrides: Partial<PushPorts> = {}) {
  const published: DomainEvent[] = [];
  const stock = new Map<string, number>();
  const calls: StockEntry[][] = [];
  const p: PushPorts = {
    sync: memorySync(),
    channels: {
      get: async (channelId) => ({
        channelId,
        type: 'shopify',
        locationIds: ['W1'],
        shopDomain: 'x.myshopify.com',
        connection: { tokenRef: 'channels/x/api-token', locationMap: { W1: 'gid://shopify/Location/1' } },
        createdAt: '',
        updatedAt: '',
      }),
    },
    listings: async (channelId, sku) => [
      {
        channelId,
        externalId: sku,
        sku,
        inventoryItemId: 'gid://shopify/InventoryItem/1',
        createdAt: '',
        updatedAt: '',
      },
    ],
    availability: async (_c, sku) => stock.get(sku) ?? 0,
    availabilityByLocation: async () => new Map(),
    channelSkus: async () => [...stock.keys()],
    secrets: { get: async () => 'token' },
    writers: {
      shopify: {
        async setStock(_channel, _token, entries) {
          calls.push([...entries]);
        },
      },
    },
    events: { publish: async (events) => void published.push(...events) },
    clock: () => new Date(),
    settings: { leaseMs: 60_000, degradeAfterMs: 0, batchSize: 50 },
    ...overrides,
  };
  return { p, published, stock, calls };
}

describe('stock push coalescing', () => {
  it('a change during a push in flight is pushed after it, with the latest number', async () => {
    const { p, stock, calls } = ports();
    stock.set('A', 5);
    let nested: Promise<unknown> | undefined;
    const base = p.writers.shopify;
    p.writers.shopify = {
      async setStock(channel, token, entries) {
        await base?.setStock(channel, token, entries);
        if (!nested) {
          // Our number changes while the channel call is in flight, and its event arrives.
          stock.set('A', 2);
          nested = markAndPush(p, 'shop', ['A']);
          expect(await nested).toEqual({ pushed: 0, failed: 0 });
        }
      },
    };
    await markAndPush(p, 'shop', ['A']);
    expect(calls.map((c) => c[0]?.quantity)).toEqual([5, 2]);
    expect(await p.sync.pending('shop')).toEqual([]);
  });

  it('does not push without a pending change', async () => {
    const { p, calls } = ports();
    expect(await drain(p, 'shop', ['A'])).toEqual({ pushed: 0, failed: 0 });
    expect(calls).toEqual([]);
  });

  it('skips a channel without a token', async () => {
    const { p, calls } = ports({ secrets: { get: async () => undefined } });
    expect(await markAndPush(p, 'shop', ['A'])).toMatchObject({ skipped: 'no-connection' });
    expect(calls).toEqual([]);
  });

  it('keeps no sync items for a channel type it does not write', async () => {
    const { p, calls } = ports();
    const get = p.channels.get;
    p.channels.get = async (id) => {
      const c = await get(id);
      return c && { ...c, type: 'generic' };
    };
    expect(await markAndPush(p, 'shop', ['A'])).toMatchObject({ skipped: 'unsupported' });
    expect(await p.sync.pending('shop')).toEqual([]);
    expect(calls).toEqual([]);
  });
});

describe('channel health', () => {
  it('degrades after repeated failures, once, and recovers with a full resync', async () => {
    let failing = true;
    const { p, published, stock } = ports();
    p.writers.shopify = {
      async setStock() {
        if (failing) throw new ChannelCallFailed('HTTP 500');
      },
    };
    stock.set('A', 1);
    stock.set('B', 2);
    for (let k = 0; k < 4; k++) expect((await markAndPush(p, 'shop', ['A'])).failed).toBe(1);
    const h = await p.sync.health('shop');
    expect(h).toMatchObject({ state: 'degraded', consecutiveFailures: 4 });
    expect(h.recentFailures[0]).toMatchObject({ skus: ['A'], error: 'HTTP 500' });
    expect(published.map((e) => e.detailType)).toEqual(['ChannelSyncDegraded']);
    failing = false;
    expect(await markAndPush(p, 'shop', ['A'])).toEqual({ pushed: 1, failed: 0 });
    expect(published.map((e) => e.detailType)).toEqual([
      'ChannelSyncDegraded',
      'ChannelSyncRecovered',
      'ChannelResyncRequested',
    ]);
    expect((await p.sync.pending('shop')).sort()).toEqual(['A', 'B']);
    expect(await p.sync.health('shop')).toMatchObject({ state: 'healthy', consecutiveFailures: 0 });
  });

  it('stays healthy through fewer failures than the threshold', async () => {
    const { p, published } = ports();
    p.writers.shopify = {
      async setStock() {
        throw new ChannelCallFailed('HTTP 502');
      },
    };
    for (let k = 0; k < 2; k++) await markAndPush(p, 'shop', ['A']);
    expect((await p.sync.health('shop')).state).toBe('healthy');
    expect(published).toEqual([]);
  });
});

describe('locations and retries', () => {
  it('splits a number across mapped locations by where the units are, the rest to the first', () => {
    expect(
      splitAcrossLocations(
        7,
        ['W1', 'W2'],
        new Map([
          ['W1', 3],
          ['W2', 10],
        ]),
      ),
    ).toEqual(
      new Map([
        ['W1', 3],
        ['W2', 4],
      ]),
    );
    expect(splitAcrossLocations(5, ['W1', 'W2'], new Map([['W1', 1]]))).toEqual(
      new Map([
        ['W1', 5],
        ['W2', 0],
      ]),
    );
  });

  it('reads Retry-After as seconds or a date', () => {
    expect(retryAfterMs('2')).toBe(2000);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(retryAfterMs(null)).toBeUndefined();
  });

  it('waits out a 429, backs off a 5xx, and fails a 4xx at once', async () => {
    const policy = { attempts: 4, backoffMs: 1, maxRetryAfterMs: 1000, timeoutMs: 1000, deadlineMs: 5000 };
    const answers = [
      new Response('slow down', { status: 429, headers: { 'retry-after': '0' } }),
      new Response('oops', { status: 503 }),
      new Response('{}', { status: 200 }),
    ];
    let sent = 0;
    const res = await fetchWithRetry(async () => answers[sent++] as Response, policy);
    expect(res.status).toBe(200);
    expect(sent).toBe(3);
    let bad = 0;
    await expect(
      fetchWithRetry(async () => {
        bad++;
        return new Response('no', { status: 401 });
      }, policy),
    ).rejects.toThrow('HTTP 401');
    expect(bad).toBe(1);
    await expect(fetchWithRetry(async () => new Response('x', { status: 500 }), policy)).rejects.toThrow(
      'HTTP 500',
    );
  });
});

describe('slow replies', () => {
  it('gives up on a reply slower than the try limit, tries again, and fails the call when none comes', async () => {
    const policy = { attempts: 2, backoffMs: 1, maxRetryAfterMs: 1000, timeoutMs: 30, deadlineMs: 5000 };
    let sent = 0;
    const never = (signal: AbortSignal) =>
      new Promise<Response>((_, reject) => {
        sent++;
        signal.addEventListener('abort', () => reject(signal.reason));
      });
    await expect(fetchWithRetry(never, policy)).rejects.toThrow('timed out');
    expect(sent).toBe(2);
  });
});

describe('Shopify fulfillment lines', () => {
  const fos = [
    {
      id: 'FO1',
      status: 'OPEN',
      lineItems: {
        nodes: [
          { id: 'L1', sku: 'A', remainingQuantity: 2 },
          { id: 'L2', sku: 'B', remainingQuantity: 1 },
        ],
      },
    },
    { id: 'FO2', status: 'CLOSED', lineItems: { nodes: [{ id: 'L3', sku: 'A', remainingQuantity: 0 }] } },
  ];
  it('ships our SKUs from the open fulfillment orders, at most what remains', () => {
    expect(fulfillmentLines(fos, [{ lineId: '1', sku: 'A', quantity: 5 }])).toEqual([
      { fulfillmentOrderId: 'FO1', fulfillmentOrderLineItems: [{ id: 'L1', quantity: 2 }] },
    ]);
  });
  it('ships the open fulfillment orders whole when none of our SKUs is on them', () => {
    expect(fulfillmentLines(fos, [{ lineId: '1', sku: 'Z', quantity: 1 }])).toEqual([
      { fulfillmentOrderId: 'FO1' },
    ]);
  });
});
