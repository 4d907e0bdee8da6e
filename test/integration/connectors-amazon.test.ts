import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ShipmentConfirmed } from '../../functions/fulfillment/api.ts';
import { createEvent } from '../../functions/shared/events.ts';
import { type FakeAmazon, startFakeAmazon } from '../support/fakes/amazon.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';

/** Amazon through the local runtime, against a fake Selling Partner API (LWA, Tokens, Listings Items, Orders v0). */
let rt: TestRuntime;
let amazon: FakeAmazon;
const SELLER = 'A3FAKESELLER01';
const MARKETPLACE = 'ATVPDKIKX0DER';
const CREDS = {
  lwaClientId: 'amzn1.application-oa2-client.fake',
  lwaClientSecret: 'lwa-secret-xyz',
  refreshToken: 'Atzr|refresh-xyz',
};
const SKUS = Array.from({ length: 10 }, (_, i) => `AZ${i}`);
const sellerSku = (sku: string) => `SELLER-${sku}`;
/** The partner event source's name, which EventBridge puts in `source`. */
const PARTNER_SOURCE = 'aws.partner/sellingpartnerapi.amazon.com/000000000000/amzn1.sp.solution.fake';
const saved: Record<string, string | undefined> = {};

beforeAll(async () => {
  for (const [k, v] of Object.entries({ QM_CONNECTOR_BACKOFF_MS: '20' })) {
    saved[k] = process.env[k];
    process.env[k] = v;
  }
  amazon = await startFakeAmazon({
    clientId: CREDS.lwaClientId,
    clientSecret: CREDS.lwaClientSecret,
    refreshToken: CREDS.refreshToken,
    sellerId: SELLER,
    itemsPerPage: 1,
  });
  rt = await startTestRuntime();
  await rt.api('PUT', '/api/locations/AW1', { body: { name: 'AW1', type: 'warehouse' } });
  for (const sku of SKUS) await rt.api('PUT', `/api/skus/${sku}`, { body: { name: sku } });
  const amz = await rt.api('PUT', '/api/channels/amz', {
    body: {
      type: 'amazon',
      sellerId: SELLER,
      marketplaceIds: [MARKETPLACE],
      locationIds: ['AW1'],
      connection: { apiBaseUrl: amazon.url, lwaUrl: amazon.url, ...CREDS },
    },
  });
  expect(amz.status, JSON.stringify(amz.body)).toBe(201);
  for (const sku of SKUS) {
    const res = await rt.api('PUT', `/api/channels/amz/listings/${sellerSku(sku)}`, { body: { sku } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  }
  await rt.settle();
}, 120_000);
afterAll(async () => {
  await rt?.stop();
  await amazon?.close();
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

const adjust = (sku: string, delta: number, key: string) =>
  rt.api('POST', '/api/inventory/adjustments', {
    body: { sku, locationId: 'AW1', delta, reason: 'cycle count', idempotencyKey: key },
  });
async function ours(sku: string): Promise<number> {
  const res = await rt.api('GET', `/api/inventory/${sku}`);
  return res.body.channels.find((c: { channelId: string }) => c.channelId === 'amz')?.available ?? 0;
}

describe('Amazon connection', () => {
  it('keeps the LWA credentials in the secret store: never returned, all three or none', async () => {
    const res = await rt.api('GET', '/api/channels/amz');
    expect(res.body.connection).toEqual({ apiBaseUrl: amazon.url, lwaUrl: amazon.url, hasAccessToken: true });
    for (const secret of Object.values(CREDS)) expect(JSON.stringify(res.body)).not.toContain(secret);
    const half = await rt.api('PUT', '/api/channels/amz2', {
      body: { type: 'amazon', locationIds: [], connection: { lwaClientId: 'x', refreshToken: 'y' } },
    });
    expect(half.status).toBe(400);
    expect(half.body.error.code).toBe('VALIDATION_FAILED');
  });
});

describe('Amazon stock push', () => {
  it('ends every seller SKU at our number after 100 changes across 10 SKUs, through 429 with Retry-After', async () => {
    // Tighter than our client's pacing (5/s), so the fake throttles and the push waits it out.
    Object.assign(amazon.listingsPlan, { rate: 4, burst: 4, retryAfter: '0.2' });
    amazon.faults.rateLimitNext = 2;
    amazon.faults.retryAfter = '0.2';
    let n = 0;
    const changes = Array.from({ length: 100 }, (_, k) => ({
      sku: SKUS[k % 10] as string,
      delta: k < 20 ? 25 : k % 2 === 0 ? -1 : 2,
    }));
    for (let k = 0; k < changes.length; k += 10) {
      const answers = await Promise.all(
        changes.slice(k, k + 10).map((c) => adjust(c.sku, c.delta, `amz-change-${n++}`)),
      );
      for (const a of answers) expect(a.status, JSON.stringify(a.body)).toBeLessThan(300);
    }
    await rt.settle();
    // A push that ran out of tries under throttling stays pending: the sweep takes it.
    await rt.lambdas.invoke('sweepPendingStock', {});
    await rt.settle();
    for (const sku of SKUS) {
      const want = await ours(sku);
      expect(want, sku).toBeGreaterThan(0);
      expect(amazon.quantities.get(sellerSku(sku)), sku).toBe(want);
      // The last number Amazon applied is ours, never a stale one.
      expect(amazon.patches.filter((p) => p.sku === sellerSku(sku)).at(-1)?.quantity, sku).toBe(want);
    }
    expect(amazon.requests.some((r) => r.status === 429)).toBe(true);
    // The access token is cached until it expires: one LWA exchange per process, not per call.
    expect(amazon.issued.lwa).toBeLessThanOrEqual(2);
    const status = await rt.api('GET', '/api/channels/amz/sync', { role: 'inventory-controller' });
    expect(status.body).toMatchObject({ state: 'healthy', pending: 0 });
    Object.assign(amazon.listingsPlan, { rate: 50, burst: 50 });
    // ~40 s on a loaded 2-core machine (the 100 adjustments dominate); the margin is for load.
  }, 120_000);
});

const ORDER_ID = '113-4455667-1234567';

describe('Amazon shipment confirmation', () => {
  it('confirms a shipment once when ShipmentConfirmed comes three times', async () => {
    amazon.addOrder({
      amazonOrderId: ORDER_ID,
      marketplaceId: MARKETPLACE,
      currency: 'USD',
      purchaseDate: '2026-12-01T10:00:00Z',
      items: [
        { orderItemId: '51234567890101', sellerSku: sellerSku('AZ0'), quantity: 2, unitPrice: '19.99' },
        { orderItemId: '51234567890102', sellerSku: sellerSku('AZ1'), quantity: 1, unitPrice: '5.00' },
      ],
      address: null,
    });
    const event = (id: string) => {
      const e = createEvent(
        ShipmentConfirmed,
        {
          shipmentId: id,
          fulfillmentId: `F-${id}`,
          orderId: `ord-${id}`,
          channelId: 'amz',
          externalId: ORDER_ID,
          locationId: 'AW1',
          reservationId: `R-${id}`,
          lines: [
            { lineId: '51234567890101', sku: 'AZ0', quantity: 2 },
            { lineId: '51234567890102', sku: 'AZ1', quantity: 1 },
          ],
          carrier: 'UPS',
          service: 'Ground',
          trackingNumber: `1Z${id}`,
          packages: 1,
          shippedAt: '2026-12-02T15:00:00.000Z',
        },
        { correlationId: `c-${id}` },
      );
      return { Source: e.source, DetailType: e.detailType, Detail: JSON.stringify(e.detail) };
    };
    amazon.faults.delayMs = 40;
    const first = event('ASH1');
    const out = await Promise.all([rt.bus.putEvents([first]), rt.bus.putEvents([first])]);
    for (const o of out) expect(o.FailedEntryCount).toBe(0);
    await rt.settle();
    await rt.bus.putEvents([event('ASH1')]);
    await rt.settle();
    amazon.faults.delayMs = 0;
    const confirmations = amazon.orders.get(ORDER_ID)?.confirmations;
    expect(confirmations).toHaveLength(1);
    expect(confirmations?.[0]).toMatchObject({
      marketplaceId: MARKETPLACE,
      packageDetail: {
        packageReferenceId: expect.stringMatching(/^\d+$/),
        carrierCode: 'UPS',
        trackingNumber: '1ZASH1',
        shipDate: '2026-12-02T15:00:00.000Z',
        orderItems: [
          { orderItemId: '51234567890101', quantity: 2 },
          { orderItemId: '51234567890102', quantity: 1 },
        ],
      },
    });
    expect(amazon.orders.get(ORDER_ID)?.order.OrderStatus).toBe('Shipped');
    expect(rt.bus.deadLetters.filter((d) => d.rule.startsWith('connectors-'))).toEqual([]);
  }, 30_000);
});

/** An SP-API ORDER_CHANGE notification (payload 1.0) for an order, as the partner source forwards it. */
function orderChange(amazonOrderId: string, notificationId: string, status: string, eventTime: string) {
  return {
    Source: PARTNER_SOURCE,
    DetailType: 'ORDER_CHANGE',
    Detail: JSON.stringify({
      NotificationVersion: '1.0',
      NotificationType: 'ORDER_CHANGE',
      PayloadVersion: '1.0',
      EventTime: eventTime,
      Payload: {
        OrderChangeNotification: {
          NotificationLevel: 'OrderLevel',
          SellerId: SELLER,
          AmazonOrderId: amazonOrderId,
          OrderChangeType: 'OrderStatusChange',
          OrderChangeTrigger: { TimeOfOrderChange: eventTime, ChangeReason: 'Order Status Change' },
          Summary: {
            MarketplaceId: MARKETPLACE,
            OrderStatus: status,
            PurchaseDate: '2026-12-03T09:00:00.000Z',
            FulfillmentType: 'MFN',
            OrderType: 'StandardOrder',
            OrderItems: [
              {
                OrderItemId: '61234567890101',
                SellerSKU: sellerSku('AZ2'),
                SupplySourceId: null,
                Quantity: 3,
              },
              {
                OrderItemId: '61234567890102',
                SellerSKU: sellerSku('AZ3'),
                SupplySourceId: null,
                Quantity: 1,
              },
            ],
          },
        },
      },
      NotificationMetadata: {
        ApplicationId: 'amzn1.sp.solution.fake',
        SubscriptionId: 'sub-1',
        PublishTime: eventTime,
        NotificationId: notificationId,
      },
    }),
  };
}

describe('Amazon orders enriched', () => {
  beforeAll(async () => {
    // Stock of its own, so the orders can be released whatever ran before.
    for (const sku of ['AZ2', 'AZ3'])
      expect((await adjust(sku, 10, `amz-orders-stock-${sku}`)).status).toBeLessThan(300);
    await rt.settle();
  });

  it('turns an ORDER_CHANGE for a new order into a full order (address, lines, prices), once', async () => {
    const id = '114-7777777-0000001';
    amazon.addOrder({
      amazonOrderId: id,
      marketplaceId: MARKETPLACE,
      currency: 'USD',
      purchaseDate: '2026-12-03T09:00:00Z',
      serviceLevel: 'Expedited',
      items: [
        {
          orderItemId: '61234567890101',
          sellerSku: sellerSku('AZ2'),
          quantity: 3,
          unitPrice: '12.50',
          tax: '3.00',
          promotionDiscount: '2.50',
        },
        {
          orderItemId: '61234567890102',
          sellerSku: sellerSku('AZ3'),
          quantity: 1,
          unitPrice: '7.25',
          shipping: '4.99',
        },
      ],
      address: {
        Name: 'Jane Doe',
        AddressLine1: '410 Terry Ave N',
        AddressLine2: 'Apt 5',
        City: 'Seattle',
        StateOrRegion: 'WA',
        PostalCode: '98109-5210',
        CountryCode: 'US',
        Phone: '+1 206-266-1000',
        AddressType: 'Residential',
      },
    });
    const getOrders = () => amazon.requests.filter((r) => r.path === `/orders/v0/orders/${id}`).length;
    const n = orderChange(id, 'notif-enrich-1', 'Unshipped', '2026-12-03T09:05:00.000Z');
    // The same notification three times (the partner bus delivers at least once).
    await Promise.all([rt.bus.putEvents([n]), rt.bus.putEvents([n])]);
    await rt.bus.putEvents([n]);
    await rt.settle();
    const list = (await rt.api('GET', `/api/orders?channelId=amz&externalId=${id}`)).body.items as any[];
    expect(list).toHaveLength(1);
    const order = list[0];
    expect(order).toMatchObject({
      channelType: 'amazon',
      externalId: id,
      currency: 'USD',
      placedAt: '2026-12-03T09:00:00.000Z',
      paymentStatus: 'paid',
      channelStatus: 'Unshipped',
      serviceLevel: 'expedited',
      total: 3750 + 300 - 250 + 725 + 499,
      taxTotal: 300,
      shippingPrice: 499,
      shipTo: {
        name: 'Jane Doe',
        line1: '410 Terry Ave N',
        line2: 'Apt 5',
        city: 'Seattle',
        region: 'WA',
        postalCode: '98109-5210',
        country: 'US',
        phone: '+1 206-266-1000',
      },
    });
    expect(order.detailsPending).toBeUndefined();
    expect(order.lines).toEqual([
      expect.objectContaining({
        lineId: '61234567890101',
        sku: 'AZ2',
        quantity: 3,
        unitPrice: 1250,
        discount: 250,
      }),
      expect.objectContaining({
        lineId: '61234567890102',
        sku: 'AZ3',
        quantity: 1,
        unitPrice: 725,
        discount: 0,
      }),
    ]);
    // Not held for a missing address: released to the warehouse (stock is there).
    const one = (await rt.api('GET', `/api/orders/${order.orderId}`)).body;
    expect(one.holds?.address).toBeUndefined();
    expect(one.status).toBe('released');
    // The address came through a restricted data token; the items through NextToken pages.
    expect(amazon.issued.rdt).toBeGreaterThanOrEqual(1);
    expect(amazon.requests.some((r) => r.path.includes('/orderItems?NextToken='))).toBe(true);
    const fetched = getOrders();
    expect(fetched).toBeGreaterThanOrEqual(1);

    // A later notification for an order we have in full only moves its status: no new fetch.
    await rt.bus.putEvents([orderChange(id, 'notif-enrich-2', 'Unshipped', '2026-12-03T10:00:00.000Z')]);
    await rt.settle();
    expect(getOrders()).toBe(fetched);
    expect(rt.bus.deadLetters).toEqual([]);
  }, 30_000);

  it('takes a Pending order from its notification, then fills it in and lifts its address hold once paid', async () => {
    const id = '114-7777777-0000002';
    amazon.addOrder({
      amazonOrderId: id,
      marketplaceId: MARKETPLACE,
      currency: 'USD',
      purchaseDate: '2026-12-03T09:00:00Z',
      items: [
        { orderItemId: '61234567890101', sellerSku: sellerSku('AZ2'), quantity: 3, unitPrice: '12.50' },
        { orderItemId: '61234567890102', sellerSku: sellerSku('AZ3'), quantity: 1, unitPrice: '7.25' },
      ],
      address: {
        Name: 'Ann Lee',
        AddressLine1: '1 Main St',
        City: 'Austin',
        StateOrRegion: 'TX',
        PostalCode: '78701',
        CountryCode: 'US',
      },
    });
    // Before payment Amazon has no address to give: the summary is taken and held.
    await rt.bus.putEvents([orderChange(id, 'notif-pending-1', 'Pending', '2026-12-03T09:01:00.000Z')]);
    await rt.settle();
    const [held] = (await rt.api('GET', `/api/orders?channelId=amz&externalId=${id}`)).body.items as any[];
    expect(held).toMatchObject({ detailsPending: true, shipTo: null, status: 'on_hold' });
    expect((await rt.api('GET', `/api/orders/${held.orderId}`)).body.holds.address.status).toBe('open');

    await rt.bus.putEvents([orderChange(id, 'notif-pending-2', 'Unshipped', '2026-12-03T09:30:00.000Z')]);
    await rt.settle();
    const one = (await rt.api('GET', `/api/orders/${held.orderId}`)).body;
    expect(one).toMatchObject({ paymentStatus: 'paid', shipTo: { name: 'Ann Lee', city: 'Austin' } });
    expect(one.detailsPending).toBeUndefined();
    expect(one.lines.map((l: any) => l.unitPrice)).toEqual([1250, 725]);
    expect(one.holds.address).toMatchObject({ status: 'released', releasedBy: 'system:channel' });
    expect(one.status).toBe('released');
  }, 30_000);

  it('takes nothing while the Orders API fails; the dead-lettered request, replayed, brings the order whole', async () => {
    const id = '114-7777777-0000003';
    amazon.addOrder({
      amazonOrderId: id,
      marketplaceId: MARKETPLACE,
      currency: 'USD',
      purchaseDate: '2026-12-03T09:00:00Z',
      items: [
        { orderItemId: '61234567890101', sellerSku: sellerSku('AZ2'), quantity: 1, unitPrice: '12.50' },
        { orderItemId: '61234567890102', sellerSku: sellerSku('AZ3'), quantity: 1, unitPrice: '7.25' },
      ],
      address: {
        Name: 'Bo Chen',
        AddressLine1: '9 Pine St',
        City: 'Portland',
        PostalCode: '97204',
        CountryCode: 'US',
      },
    });
    amazon.faults.failWith = 500;
    await rt.bus.putEvents([orderChange(id, 'notif-fail-1', 'Unshipped', '2026-12-03T11:00:00.000Z')]);
    await rt.settle();
    amazon.faults.failWith = undefined;
    const ordersOf = async () =>
      (await rt.api('GET', `/api/orders?channelId=amz&externalId=${id}`)).body.items as any[];
    expect(await ordersOf()).toEqual([]);
    const dead = rt.bus.deadLetters.filter((d) => d.rule === 'connectors-amazon-order-details');
    expect(dead).toHaveLength(1);
    expect(dead[0]?.error).toContain('HTTP 500');

    // An operator redrives the dead letter once Amazon answers again.
    const e = dead[0]?.event as NonNullable<(typeof dead)[0]>['event'];
    await rt.bus.putEvents([
      { Source: e.source, DetailType: e['detail-type'], Detail: JSON.stringify(e.detail) },
    ]);
    await rt.settle();
    const [order] = await ordersOf();
    expect(order).toMatchObject({ shipTo: { name: 'Bo Chen', city: 'Portland' }, total: 1975 });
    expect(order.lines.map((l: any) => l.unitPrice)).toEqual([1250, 725]);
  }, 30_000);
});
