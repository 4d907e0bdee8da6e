import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChannelRefundPosted } from '#connectors/api';
import { ChannelRefundCreated } from '#orders/api';
import { RefundFailed, RefundIssued, RefundRequested } from '#returns/api';
import { createEvent } from '../../functions/shared/events.ts';
import { hmacSha256 } from '../../functions/shared/webhooks.ts';
import { type FakeShopify, startFakeShopify } from '../support/fakes/shopify.ts';
import { type FakeWoo, startFakeWoo } from '../support/fakes/woocommerce.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';
import {
  awaitReleased,
  openFloor,
  packAndShip,
  pickWave,
  planAllWaves,
  sideBySide,
  twoZoneFloor,
} from '../support/warehouse-floor.ts';

/**
 * Returns with the channels on the local runtime, against fake Shopify and WooCommerce: ten
 * Shopify orders shipped through the floor, six of them returned (three asked for at Shopify
 * through `returns/request`, three by customer service) with every disposition, stock matching
 * the dispositions unit for unit, each refund posted to Shopify exactly once, restocked units
 * waiting for putaway; a refund Shopify refuses, then retried; refunds made in Shopify's admin;
 * WooCommerce refunds both ways.
 */
const SITE = 'RCH-WH';
const TEE = 'RCH-TEE';
const CAP = 'RCH-CAP';
const SHOP = 'rch-shop';
const WOO = 'rch-woo';
const SHOP_SECRET = 'rch-shopify-app-secret';
const WOO_SECRET = 'rch-woo-secret';
const TOKEN = 'shpat_rch_token';
const SHOP_DOMAIN = 'rch-test.myshopify.com';

let rt: TestRuntime;
let shopify: FakeShopify;
let woo: FakeWoo;
const saved: Record<string, string | undefined> = {};
/** Order n (1…10): Shopify id 91000 + n, 2 TEE at 20.00 (line 71n1) and 1 CAP at 15.00 (line 71n2). */
const orderIds: string[] = [];
const shopifyId = (n: number) => 91000 + n;
const gid = (n: number) => `gid://shopify/Order/${shopifyId(n)}`;
const lineId = (n: number, k: 1 | 2) => 710000 + n * 10 + k;

function shopifyOrder(n: number) {
  const at = new Date(Date.now() - 60_000).toISOString();
  return {
    id: shopifyId(n),
    admin_graphql_api_id: gid(n),
    name: `#R${n}`,
    email: `buyer${n}@example.com`,
    created_at: at,
    updated_at: at,
    processed_at: at,
    cancelled_at: null,
    currency: 'USD',
    financial_status: 'paid',
    total_price: '55.00',
    total_tax: '0.00',
    total_discounts: '0.00',
    shipping_address: {
      first_name: 'Avery',
      last_name: 'Lin',
      address1: '410 Terry Ave N',
      city: 'Seattle',
      province_code: 'WA',
      zip: '98109',
      country_code: 'US',
    },
    shipping_lines: [{ code: 'Standard', title: 'Standard', price: '0.00' }],
    line_items: [
      { id: lineId(n, 1), sku: TEE, title: 'Tee', quantity: 2, price: '20.00', total_discount: '0.00' },
      { id: lineId(n, 2), sku: CAP, title: 'Cap', quantity: 1, price: '15.00', total_discount: '0.00' },
    ],
  };
}

let delivery = 0;
async function shopifyWebhook(topic: string, payload: unknown, deliveryId = `rch-d-${++delivery}`) {
  const body = JSON.stringify(payload);
  const res = await fetch(`${rt.url}/webhooks/shopify/${SHOP}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-shopify-hmac-sha256': hmacSha256(SHOP_SECRET, body, 'base64'),
      'x-shopify-topic': topic,
      'x-shopify-shop-domain': SHOP_DOMAIN,
      'x-shopify-webhook-id': deliveryId,
    },
    body,
  });
  expect(res.status, await res.clone().text()).toBe(200);
  return res.json();
}

async function wooWebhook(topic: string, payload: unknown, deliveryId: string) {
  const body = JSON.stringify(payload);
  const res = await fetch(`${rt.url}/webhooks/woocommerce/${WOO}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-wc-webhook-signature': hmacSha256(WOO_SECRET, body, 'base64'),
      'x-wc-webhook-topic': topic,
      'x-wc-webhook-delivery-id': deliveryId,
    },
    body,
  });
  expect(res.status, await res.clone().text()).toBe(200);
  return res.json();
}

beforeAll(async () => {
  saved.QM_CONNECTOR_BACKOFF_MS = process.env.QM_CONNECTOR_BACKOFF_MS;
  process.env.QM_CONNECTOR_BACKOFF_MS = '20';
  [shopify, woo] = await Promise.all([
    startFakeShopify({ token: TOKEN }),
    startFakeWoo({ key: 'ck_rch', secret: 'cs_rch' }),
  ]);
  rt = await startTestRuntime();
  await openFloor(rt, twoZoneFloor(SITE, [TEE, CAP], 60));
  const shop = await rt.api('PUT', `/api/channels/${SHOP}`, {
    body: {
      type: 'shopify',
      secret: SHOP_SECRET,
      locationIds: [SITE],
      shopDomain: SHOP_DOMAIN,
      connection: { apiBaseUrl: shopify.url, accessToken: TOKEN, apiVersion: '2025-07' },
    },
  });
  expect(shop.status, JSON.stringify(shop.body)).toBe(201);
  const wc = await rt.api('PUT', `/api/channels/${WOO}`, {
    body: {
      type: 'woocommerce',
      secret: WOO_SECRET,
      locationIds: [SITE],
      connection: { apiBaseUrl: woo.url, accessToken: 'ck_rch:cs_rch' },
    },
  });
  expect(wc.status, JSON.stringify(wc.body)).toBe(201);
  const policy = await rt.api('PUT', '/api/return-settings', {
    role: 'supervisor',
    body: {
      reasonCodes: ['damaged', 'defective', 'size_or_fit', 'no_longer_needed', 'other'],
      windowDays: 30,
      approvalThreshold: 50_000,
      autoApprove: true,
    },
  });
  expect(policy.status).toBe(200);

  for (let n = 1; n <= 10; n++) {
    // The shop's side of each order: what a fulfillment and a refund are made against.
    shopify.orders.set(gid(n), [
      {
        id: `gid://shopify/FulfillmentOrder/${n}`,
        status: 'OPEN',
        lineItems: [
          { id: `gid://shopify/FulfillmentOrderLineItem/${n}1`, sku: TEE, remainingQuantity: 2 },
          { id: `gid://shopify/FulfillmentOrderLineItem/${n}2`, sku: CAP, remainingQuantity: 1 },
        ],
      },
    ]);
    shopify.refundable.set(gid(n), {
      lineItems: [
        { id: `gid://shopify/LineItem/${lineId(n, 1)}`, sku: TEE, quantity: 2 },
        { id: `gid://shopify/LineItem/${lineId(n, 2)}`, sku: CAP, quantity: 1 },
      ],
      transactions: [
        {
          id: `gid://shopify/OrderTransaction/${n}`,
          kind: 'SALE',
          status: 'SUCCESS',
          gateway: 'shopify_payments',
        },
      ],
    });
    const res = await shopifyWebhook('orders/create', shopifyOrder(n), `rch-order-${n}`);
    orderIds.push(res.orderId);
  }
  const released = await awaitReleased(rt, SITE, 10);
  for (const wave of await planAllWaves(rt, SITE)) await pickWave(rt, wave.waveId);
  await sideBySide([...released.entries()], 5, ([i, f]) =>
    packAndShip(rt, f.fulfillmentId, `1Z-RCH-${i}`).then(() => {}),
  );
  await rt.settle();
}, 120_000);

afterAll(async () => {
  await rt?.stop();
  await Promise.all([shopify?.close(), woo?.close()]);
  if (saved.QM_CONNECTOR_BACKOFF_MS === undefined) delete process.env.QM_CONNECTOR_BACKOFF_MS;
  else process.env.QM_CONNECTOR_BACKOFF_MS = saved.QM_CONNECTOR_BACKOFF_MS;
});

const order = (n: number) => orderIds[n - 1] as string;
async function get(returnId: string) {
  const res = await rt.api('GET', `/api/returns/${encodeURIComponent(returnId)}`, {
    role: 'customer-service',
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}
async function until<T>(read: () => Promise<T>, done: (t: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 30_000;
  let last = await read();
  while (!done(last)) {
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(last)}`);
    await rt.settle();
    await new Promise((r) => setTimeout(r, 100));
    last = await read();
  }
  return last;
}
/** SKU's buckets at the site. */
async function at(sku: string) {
  const res = await rt.api('GET', `/api/inventory/${sku}`);
  expect(res.status).toBe(200);
  const p = res.body.positions.find((x: { locationId: string }) => x.locationId === SITE);
  return {
    onHand: p.onHand,
    available: p.available,
    quarantined: p.quarantined ?? 0,
    damaged: p.damaged ?? 0,
    returnedPending: p.returnedPending ?? 0,
  };
}
const minus = (a: Record<string, number>, b: Record<string, number>) =>
  Object.fromEntries(Object.keys(a).map((k) => [k, (a[k] ?? 0) - (b[k] ?? 0)]));
/** Distinct events of a type (a redelivery has the same id). */
const eventsOf = (detailType: string, match: (data: any) => boolean) => {
  const byId = new Map<string, any>();
  for (const e of rt.bus.events({ detailType }) as any[])
    if (match(e.detail?.data)) byId.set(e.detail.metadata.eventId, e);
  return [...byId.values()];
};
const refundsOf = (n: number) => shopify.refunds.filter((r) => r.orderId === gid(n));

async function receiveAndInspect(
  returnId: string,
  received: { sku: string; quantity: number }[],
  inspected: { sku: string; quantity: number; disposition: string }[],
) {
  const id = encodeURIComponent(returnId);
  const receipt = await rt.api('POST', `/api/returns/${id}/receipts`, {
    role: 'warehouse-associate',
    body: { locationId: SITE, lines: received },
  });
  expect(receipt.status, JSON.stringify(receipt.body)).toBe(200);
  const inspection = await rt.api('POST', `/api/returns/${id}/inspections`, {
    role: 'warehouse-associate',
    body: { inspectionId: `insp-${returnId.replace(/[^A-Za-z0-9]/g, '')}`, lines: inspected },
  });
  expect(inspection.status, JSON.stringify(inspection.body)).toBe(200);
}

describe('ten orders shipped, six returned', () => {
  it('stock matches the dispositions unit for unit and each refund reaches Shopify exactly once', async () => {
    const before = { tee: await at(TEE), cap: await at(CAP) };

    // Three returns asked for at Shopify (returns/request), by the channel's line ids.
    const shopReturn = (n: number, lines: { k: 1 | 2; quantity: number; reason: string }[]) => ({
      id: 30 + n,
      admin_graphql_api_id: `gid://shopify/Return/${30 + n}`,
      order: { id: shopifyId(n), admin_graphql_api_id: gid(n) },
      status: 'requested',
      return_line_items: lines.map((l, i) => ({
        id: 500 + n * 10 + i,
        quantity: l.quantity,
        return_reason: l.reason,
        fulfillment_line_item: { id: 600 + n * 10 + i, line_item: { id: lineId(n, l.k) } },
      })),
    });
    const first = await shopifyWebhook(
      'returns/request',
      shopReturn(1, [
        { k: 1, quantity: 2, reason: 'SIZE_TOO_SMALL' },
        { k: 2, quantity: 1, reason: 'DEFECTIVE' },
      ]),
      'rch-ret-1',
    );
    expect(first).toMatchObject({ status: 'forwarded', orderId: order(1) });
    // Shopify's retry of the same delivery: one return still.
    await shopifyWebhook(
      'returns/request',
      shopReturn(1, [
        { k: 1, quantity: 2, reason: 'SIZE_TOO_SMALL' },
        { k: 2, quantity: 1, reason: 'DEFECTIVE' },
      ]),
      'rch-ret-1',
    );
    await shopifyWebhook('returns/request', shopReturn(2, [{ k: 1, quantity: 2, reason: 'UNWANTED' }]));
    await shopifyWebhook('returns/request', shopReturn(3, [{ k: 2, quantity: 1, reason: 'COLOR' }]));
    const viaShop = [1, 2, 3].map((n) => `${SHOP}:return-${30 + n}`);
    const r1 = await until(
      () => rt.api('GET', `/api/returns/${encodeURIComponent(viaShop[0] as string)}`),
      (r) => r.status === 200,
      'return from Shopify',
    );
    expect(r1.body).toMatchObject({ orderId: order(1), status: 'approved' });
    expect(r1.body.lines).toEqual([
      expect.objectContaining({ sku: TEE, quantity: 2, reason: 'size_or_fit' }),
      expect.objectContaining({ sku: CAP, quantity: 1, reason: 'defective' }),
    ]);
    for (const id of viaShop.slice(1))
      await until(
        () => rt.api('GET', `/api/returns/${encodeURIComponent(id)}`),
        (r) => r.status === 200,
        id,
      );
    expect((await rt.api('GET', `/api/returns?orderId=${order(1)}`)).body.items).toHaveLength(1);

    // Three by customer service.
    for (const [n, lines] of [
      [4, [{ sku: TEE, quantity: 2, reason: 'defective' }]],
      [5, [{ sku: TEE, quantity: 1, reason: 'damaged' }]],
      [
        6,
        [
          { sku: TEE, quantity: 1, reason: 'other' },
          { sku: CAP, quantity: 1, reason: 'other' },
        ],
      ],
    ] as const) {
      const res = await rt.api('POST', '/api/returns', {
        role: 'customer-service',
        body: { returnId: `RCH-${n}`, orderId: order(n), lines },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    }

    const plan: [
      string,
      { sku: string; quantity: number }[],
      { sku: string; quantity: number; disposition: string }[],
    ][] = [
      [
        viaShop[0] as string,
        [
          { sku: TEE, quantity: 2 },
          { sku: CAP, quantity: 1 },
        ],
        [
          { sku: TEE, quantity: 2, disposition: 'restock' },
          { sku: CAP, quantity: 1, disposition: 'damaged' },
        ],
      ],
      [
        viaShop[1] as string,
        [{ sku: TEE, quantity: 2 }],
        [
          { sku: TEE, quantity: 1, disposition: 'refurbish' },
          { sku: TEE, quantity: 1, disposition: 'quarantine' },
        ],
      ],
      [
        viaShop[2] as string,
        [{ sku: CAP, quantity: 1 }],
        [{ sku: CAP, quantity: 1, disposition: 'write_off' }],
      ],
      ['RCH-4', [{ sku: TEE, quantity: 2 }], [{ sku: TEE, quantity: 2, disposition: 'restock' }]],
      ['RCH-5', [{ sku: TEE, quantity: 1 }], [{ sku: TEE, quantity: 1, disposition: 'damaged' }]],
      [
        'RCH-6',
        [
          { sku: TEE, quantity: 1 },
          { sku: CAP, quantity: 1 },
        ],
        [
          { sku: TEE, quantity: 1, disposition: 'restock' },
          { sku: CAP, quantity: 1, disposition: 'quarantine' },
        ],
      ],
    ];
    for (const [id, received, inspected] of plan) await receiveAndInspect(id, received, inspected);
    const returnIds = plan.map(([id]) => id);
    for (const id of returnIds)
      await until(
        () => get(id),
        (r) => r.status === 'completed',
        `return ${id} completed`,
      );

    // TEE: restock 2 + 2 + 1 (available), refurbish 1 + quarantine 1 (quarantined), damaged 1.
    // CAP: damaged 1, quarantine 1, write-off 1 (leaves on hand again).
    expect(minus(await at(TEE), before.tee)).toEqual({
      onHand: 8,
      available: 5,
      quarantined: 2,
      damaged: 1,
      returnedPending: 0,
    });
    expect(minus(await at(CAP), before.cap)).toEqual({
      onHand: 2,
      available: 0,
      quarantined: 1,
      damaged: 1,
      returnedPending: 0,
    });

    // Each refund reached Shopify once, against the order's sale, for the units received.
    const amounts: Record<number, string> = {
      1: '55.00',
      2: '40.00',
      3: '15.00',
      4: '40.00',
      5: '20.00',
      6: '35.00',
    };
    for (let n = 1; n <= 6; n++) {
      const refunds = refundsOf(n);
      expect(refunds, `order ${n}`).toHaveLength(1);
      expect(refunds[0]?.transactions).toEqual([
        expect.objectContaining({
          parentId: `gid://shopify/OrderTransaction/${n}`,
          kind: 'REFUND',
          amount: amounts[n],
        }),
      ]);
    }
    expect(refundsOf(1)[0]?.refundLineItems).toEqual([
      { lineItemId: `gid://shopify/LineItem/${lineId(1, 1)}`, quantity: 2, restockType: 'NO_RESTOCK' },
      { lineItemId: `gid://shopify/LineItem/${lineId(1, 2)}`, quantity: 1, restockType: 'NO_RESTOCK' },
    ]);
    for (let n = 7; n <= 10; n++) expect(refundsOf(n)).toHaveLength(0);
    const r4 = await get('RCH-4');
    expect(r4.refund).toMatchObject({
      status: 'issued',
      amount: 4000,
      attempt: 1,
      reference: refundsOf(4)[0]?.id,
    });
    for (const id of returnIds)
      expect(eventsOf(RefundIssued.detailType, (d) => d.returnId === id)).toHaveLength(1);

    // The same refund asked for again (a redelivery) and Shopify's own refunds/create for it: still once.
    const again = eventsOf(RefundRequested.detailType, (d) => d.returnId === 'RCH-4');
    await rt.bus.putEvents(
      again.map((e) => ({
        Source: e.source,
        DetailType: e['detail-type'],
        Detail: JSON.stringify(e.detail),
      })),
    );
    const ours = refundsOf(4)[0] as FakeShopify['refunds'][number];
    await shopifyWebhook('refunds/create', {
      id: Number(ours.id.split('/').pop()),
      order_id: shopifyId(4),
      note: ours.note,
      created_at: new Date().toISOString(),
      refund_line_items: [{ quantity: 2, line_item_id: lineId(4, 1), line_item: { sku: TEE } }],
      transactions: [{ kind: 'refund', status: 'success', amount: '40.00', currency: 'USD' }],
    });
    await rt.settle();
    expect(refundsOf(4)).toHaveLength(1);
    expect((await rt.api('GET', `/api/returns?orderId=${order(4)}`)).body.items).toHaveLength(1);
    expect(eventsOf(RefundIssued.detailType, (d) => d.returnId === 'RCH-4')).toHaveLength(1);

    // Restocked units wait in RECEIVING for putaway: the handheld's list has them.
    const tasks = await rt.api('GET', `/api/putaway-tasks?locationId=${SITE}`, {
      role: 'warehouse-associate',
    });
    expect(tasks.status).toBe(200);
    const returned = tasks.body.items.filter((t: { sku: string }) => t.sku === TEE);
    expect(returned.reduce((s: number, t: { quantity: number }) => s + t.quantity, 0)).toBe(5);
    const task = returned[0];
    const confirmed = await rt.api('POST', `/api/putaway-tasks/${task.taskId}/confirm`, {
      role: 'warehouse-associate',
      body: { binCode: task.suggestedBinId },
    });
    expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
    expect(confirmed.body).toMatchObject({ status: 'done', returnId: expect.any(String) });
    expect(minus(await at(TEE), before.tee)).toMatchObject({ onHand: 8, available: 5 });
  }, 90_000);
});

describe('refunds the channel refuses or makes itself', () => {
  it('records a refund Shopify refuses as failed with its message; the retry reaches Shopify once', async () => {
    (shopify.refundable.get(gid(7)) as { refuse?: string }).refuse =
      'Refund amount exceeds the refundable amount';
    const res = await rt.api('POST', '/api/returns', {
      role: 'customer-service',
      body: { returnId: 'RCH-7', orderId: order(7), lines: [{ sku: CAP, quantity: 1, reason: 'other' }] },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    await receiveAndInspect(
      'RCH-7',
      [{ sku: CAP, quantity: 1 }],
      [{ sku: CAP, quantity: 1, disposition: 'restock' }],
    );
    const failed = await until(
      () => get('RCH-7'),
      (r) => r.refund.status === 'failed',
      'refund failed',
    );
    expect(failed.refund).toMatchObject({
      attempt: 1,
      message: expect.stringContaining('exceeds the refundable amount'),
    });
    expect(eventsOf(RefundFailed.detailType, (d) => d.returnId === 'RCH-7')).toHaveLength(1);
    expect(refundsOf(7)).toHaveLength(0);

    delete (shopify.refundable.get(gid(7)) as { refuse?: string }).refuse;
    const retry = await rt.api('POST', '/api/returns/RCH-7/refund/retry', { role: 'finance' });
    expect(retry.status, JSON.stringify(retry.body)).toBe(200);
    const done = await until(
      () => get('RCH-7'),
      (r) => r.status === 'completed',
      'completed after retry',
    );
    expect(done.refund).toMatchObject({ status: 'issued', attempt: 2, amount: 1500 });
    expect(refundsOf(7)).toHaveLength(1);
    expect(refundsOf(7)[0]?.note).toContain('[qm:RCH-7#2]');
  }, 30_000);

  it('a refund made in Shopify’s admin becomes a return with its refund issued; a bad one an intake exception', async () => {
    const body = {
      id: 777001,
      order_id: shopifyId(8),
      note: 'Customer kept the cap, refunded from admin',
      created_at: new Date().toISOString(),
      refund_line_items: [{ quantity: 1, line_item_id: lineId(8, 2), line_item: { sku: CAP } }],
      transactions: [{ kind: 'refund', status: 'success', amount: '15.00', currency: 'USD' }],
    };
    await shopifyWebhook('refunds/create', body, 'rch-admin-refund');
    await shopifyWebhook('refunds/create', body, 'rch-admin-refund');
    const id = `${SHOP}:refund-777001`;
    const r = await until(
      () => rt.api('GET', `/api/returns/${encodeURIComponent(id)}`),
      (x) => x.status === 200 && x.body.refund.status === 'issued',
      'admin refund',
    );
    expect(r.body).toMatchObject({
      orderId: order(8),
      lines: [expect.objectContaining({ sku: CAP, quantity: 1 })],
      refund: { status: 'issued', amount: 1500, reference: '777001' },
    });
    expect(eventsOf(RefundIssued.detailType, (d) => d.returnId === id)).toHaveLength(1);
    expect(refundsOf(8)).toHaveLength(0);

    // A return line that is not on the order cannot be mapped: kept as an intake exception.
    const bad = await shopifyWebhook('returns/request', {
      id: 99,
      order: { id: shopifyId(9) },
      return_line_items: [
        { quantity: 1, return_reason: 'OTHER', fulfillment_line_item: { line_item: { id: 1 } } },
      ],
    });
    expect(bad).toMatchObject({ status: 'exception', code: 'UNMAPPED_RETURN_LINE' });
    const unknown = await shopifyWebhook('returns/request', {
      id: 98,
      order: { id: 123 },
      return_line_items: [{ quantity: 1, fulfillment_line_item: { line_item: { id: 1 } } }],
    });
    expect(unknown).toMatchObject({ status: 'exception', code: 'UNKNOWN_ORDER' });
    expect((await rt.api('GET', `/api/returns?orderId=${order(9)}`)).body.items).toEqual([]);

    // Five tees back when two shipped: kept as a rejected return with the reason, for customer
    // service to see, not dropped.
    await shopifyWebhook('returns/request', {
      id: 97,
      admin_graphql_api_id: 'gid://shopify/Return/97',
      order: { id: shopifyId(9), admin_graphql_api_id: gid(9) },
      status: 'requested',
      return_line_items: [
        {
          id: 997,
          quantity: 5,
          return_reason: 'UNWANTED',
          fulfillment_line_item: { id: 998, line_item: { id: lineId(9, 1) } },
        },
      ],
    });
    const over = await until(
      () => rt.api('GET', `/api/returns/${encodeURIComponent(`${SHOP}:return-97`)}`),
      (r) => r.status === 200,
      'refused return from Shopify',
    );
    expect(over.body).toMatchObject({ status: 'rejected', orderId: order(9) });
    expect(over.body.decision.reason).toMatch(/^EXCEEDS_SHIPPED/);
    const ofNine = await rt.api('GET', `/api/returns?orderId=${order(9)}`);
    expect(ofNine.body.items.map((r: { status: string }) => r.status)).toEqual(['rejected']);
  }, 30_000);
});

describe('WooCommerce refunds', () => {
  it('posts a requested refund once with its line items, and a refusal as failed', async () => {
    woo.orders.set(8801, {
      status: 'completed',
      notes: [],
      line_items: [
        { id: 41, sku: TEE, quantity: 2 },
        { id: 42, sku: CAP, quantity: 1 },
      ],
    });
    const requested = createEvent(
      RefundRequested,
      {
        returnId: 'RCH-W1',
        orderId: 'ord-w1',
        channelId: WOO,
        externalId: '8801',
        attempt: 1,
        amount: 5500,
        currency: 'USD',
        lines: [
          { sku: TEE, quantity: 2, amount: 4000 },
          { sku: CAP, quantity: 1, amount: 1500 },
        ],
        requestedAt: new Date().toISOString(),
      },
      { correlationId: 'c-w1' },
    );
    const entry = {
      Source: requested.source,
      DetailType: requested.detailType,
      Detail: JSON.stringify(requested.detail),
    };
    await rt.bus.putEvents([entry]);
    await rt.bus.putEvents([entry]);
    await rt.settle();
    const refunds = woo.orders.get(8801)?.refunds ?? [];
    expect(refunds).toHaveLength(1);
    expect(refunds[0]).toMatchObject({
      amount: '55.00',
      api_refund: true,
      reason: expect.stringContaining('[qm:RCH-W1#1]'),
      line_items: [
        { id: 41, quantity: 2, refund_total: '40.00' },
        { id: 42, quantity: 1, refund_total: '15.00' },
      ],
    });
    const posted = eventsOf(ChannelRefundPosted.detailType, (d) => d.returnId === 'RCH-W1');
    expect(posted.map((e) => e.detail.data)).toEqual([
      expect.objectContaining({ status: 'issued', attempt: 1, reference: String(refunds[0]?.id) }),
    ]);

    woo.orders.set(8802, {
      status: 'completed',
      notes: [],
      line_items: [],
      refuse: 'Refund failed: gateway declined',
    });
    const refused = createEvent(
      RefundRequested,
      { ...requested.detail.data, returnId: 'RCH-W2', externalId: '8802' },
      { correlationId: 'c-w2' },
    );
    await rt.bus.putEvents([
      { Source: refused.source, DetailType: refused.detailType, Detail: JSON.stringify(refused.detail) },
    ]);
    await rt.settle();
    expect(
      eventsOf(ChannelRefundPosted.detailType, (d) => d.returnId === 'RCH-W2').map((e) => e.detail.data),
    ).toEqual([
      expect.objectContaining({ status: 'failed', message: expect.stringContaining('gateway declined') }),
    ]);
  }, 30_000);

  it('hands a refund listed on an order update to returns once, however often the update comes', async () => {
    const now = new Date().toISOString().slice(0, 19);
    const wooOrder = (modified: string, refunds: unknown[]) => ({
      id: 8803,
      number: '8803',
      status: 'processing',
      currency: 'USD',
      date_created_gmt: now,
      date_modified_gmt: modified,
      date_paid_gmt: now,
      total: '40.00',
      shipping: {
        first_name: 'Kim',
        last_name: 'Lee',
        address_1: '1 Main St',
        city: 'Austin',
        state: 'TX',
        postcode: '78701',
        country: 'US',
      },
      line_items: [{ id: 51, sku: TEE, quantity: 2, price: 20, subtotal: '40.00', total: '40.00' }],
      refunds,
    });
    await wooWebhook('order.created', wooOrder(now, []), 'rch-w-1');
    const refund = { id: 8899, reason: 'Damaged in transit', total: '-20.00' };
    await wooWebhook(
      'order.updated',
      wooOrder(new Date(Date.now() + 1000).toISOString().slice(0, 19), [refund]),
      'rch-w-2',
    );
    await wooWebhook(
      'order.updated',
      wooOrder(new Date(Date.now() + 2000).toISOString().slice(0, 19), [refund]),
      'rch-w-3',
    );
    await rt.settle();
    const created = eventsOf(ChannelRefundCreated.detailType, (d) => d.channelRefundId === '8899');
    expect(created.map((e) => e.detail.data)).toEqual([
      expect.objectContaining({
        channelId: WOO,
        externalId: '8803',
        amount: 2000,
        currency: 'USD',
        note: 'Damaged in transit',
        lines: [],
      }),
    ]);
  }, 30_000);
});
