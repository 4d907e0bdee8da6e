import { type FakeServer, startFake } from './http-fake.ts';

interface FulfillmentOrder {
  id: string;
  status: 'OPEN' | 'IN_PROGRESS' | 'CLOSED';
  lineItems: { id: string; sku: string; remainingQuantity: number }[];
}
interface Fulfillment {
  id: string;
  orderId: string;
  trackingInfo: { company?: string; number?: string; url?: string };
  notifyCustomer: boolean;
  lineItemsByFulfillmentOrder: unknown[];
}

/** What the shop knows of an order for refunds: its line items and payment transactions. */
interface RefundableOrder {
  lineItems: { id: string; sku: string; quantity: number }[];
  transactions: {
    id: string;
    kind: 'SALE' | 'CAPTURE' | 'AUTHORIZATION';
    status: 'SUCCESS' | 'FAILURE';
    gateway: string;
  }[];
  /** When set, refundCreate answers this userError (the shop refusing the refund). */
  refuse?: string;
}
interface Refund {
  id: string;
  orderId: string;
  note: string | null;
  notify: boolean;
  refundLineItems: { lineItemId: string; quantity: number; restockType?: string }[];
  transactions: { orderId: string; parentId: string; gateway: string; kind: string; amount: string }[];
}

export interface FakeShopify extends FakeServer {
  /** `inventoryItemId|locationId` → available, as the shop has it. */
  available: Map<string, number>;
  /** Every quantity set, in the order the shop applied them. */
  sets: { key: string; quantity: number }[];
  orders: Map<string, FulfillmentOrder[]>;
  fulfillments: Fulfillment[];
  /** Orders refunds may be made on, by order gid. */
  refundable: Map<string, RefundableOrder>;
  /** Every refund the shop created, in order. */
  refunds: Refund[];
  /** Resolves when the shop has `quantity` for `key` (now or on a later set). */
  waitFor(key: string, quantity: number): Promise<void>;
  /** The leaky bucket: Shopify's standard plan is 1000 points restoring 50 a second. */
  bucket: { maximum: number; restoreRate: number; available: number; at: number };
}

/**
 * A Shopify Admin GraphQL API as the connector sees it: `X-Shopify-Access-Token` checked, the
 * cost extension on every answer, THROTTLED (HTTP 200 with an error) when the bucket is short,
 * `inventorySetQuantities`, an order's fulfillment orders and `fulfillmentCreate`, an order's
 * refunds, line items and transactions and `refundCreate`.
 */
export async function startFakeShopify(opts: { token: string; queryCost?: number }): Promise<FakeShopify> {
  const cost = opts.queryCost ?? 10;
  const waiters: { key: string; quantity: number; resolve: () => void }[] = [];
  let fake: FakeShopify;
  const server = await startFake(async (req, raw) => {
    if (req.method !== 'POST' || !/^\/admin\/api\/\d{4}-\d{2}\/graphql\.json$/.test(req.url ?? ''))
      return { status: 404, body: { errors: 'Not Found' } };
    if (req.headers['x-shopify-access-token'] !== opts.token)
      return { status: 401, body: { errors: '[API] Invalid API key or access token' } };
    const { query, variables } = JSON.parse(raw) as { query: string; variables: Record<string, any> };
    const b = fake.bucket;
    const now = Date.now();
    b.available = Math.min(b.maximum, b.available + ((now - b.at) / 1000) * b.restoreRate);
    b.at = now;
    const throttleStatus = () => ({
      maximumAvailable: b.maximum,
      currentlyAvailable: Math.floor(b.available),
      restoreRate: b.restoreRate,
    });
    if (b.available < cost)
      return {
        status: 200,
        body: {
          errors: [
            {
              message: 'Throttled',
              extensions: { code: 'THROTTLED', documentation: 'https://shopify.dev/api/usage/rate-limits' },
            },
          ],
          extensions: {
            cost: { requestedQueryCost: cost, actualQueryCost: null, throttleStatus: throttleStatus() },
          },
        },
      };
    b.available -= cost;
    const extensions = {
      cost: { requestedQueryCost: cost, actualQueryCost: cost, throttleStatus: throttleStatus() },
    };
    if (query.includes('inventorySetQuantities')) {
      const input = variables.input;
      if (input.name !== 'available')
        return {
          status: 200,
          body: {
            data: {
              inventorySetQuantities: {
                inventoryAdjustmentGroup: null,
                userErrors: [
                  { field: ['input', 'name'], message: 'name must be available', code: 'INVALID_NAME' },
                ],
              },
            },
            extensions,
          },
        };
      for (const q of input.quantities as {
        inventoryItemId: string;
        locationId: string;
        quantity: number;
      }[]) {
        const key = `${q.inventoryItemId}|${q.locationId}`;
        fake.available.set(key, q.quantity);
        fake.sets.push({ key, quantity: q.quantity });
        for (const w of waiters.filter((w) => w.key === key && w.quantity === q.quantity)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve();
        }
      }
      return {
        status: 200,
        body: {
          data: {
            inventorySetQuantities: {
              inventoryAdjustmentGroup: { id: `gid://shopify/InventoryAdjustmentGroup/${fake.sets.length}` },
              userErrors: [],
            },
          },
          extensions,
        },
      };
    }
    if (query.includes('refundCreate')) {
      const input = variables.input;
      const order = fake.refundable.get(input.orderId);
      const userErrors = !order
        ? [{ field: ['orderId'], message: 'Order does not exist' }]
        : order.refuse
          ? [{ field: ['transactions'], message: order.refuse }]
          : (input.transactions ?? []).some(
                (t: { parentId: string }) => !order.transactions.some((x) => x.id === t.parentId),
              )
            ? [{ field: ['transactions', 'parentId'], message: 'Parent transaction does not exist' }]
            : [];
      if (userErrors.length)
        return { status: 200, body: { data: { refundCreate: { refund: null, userErrors } }, extensions } };
      const r: Refund = {
        id: `gid://shopify/Refund/${fake.refunds.length + 1}`,
        orderId: input.orderId,
        note: input.note ?? null,
        notify: Boolean(input.notify),
        refundLineItems: input.refundLineItems ?? [],
        transactions: input.transactions ?? [],
      };
      fake.refunds.push(r);
      return {
        status: 200,
        body: { data: { refundCreate: { refund: { id: r.id }, userErrors: [] } }, extensions },
      };
    }
    if (query.includes('OrderForRefund')) {
      const orderId = variables.id as string;
      const order = fake.refundable.get(orderId);
      if (!order) return { status: 200, body: { data: { order: null }, extensions } };
      return {
        status: 200,
        body: {
          data: {
            order: {
              id: orderId,
              refunds: fake.refunds
                .filter((r) => r.orderId === orderId)
                .map((r) => ({ id: r.id, note: r.note })),
              lineItems: { nodes: order.lineItems },
              transactions: order.transactions,
            },
          },
          extensions,
        },
      };
    }
    if (query.includes('fulfillmentCreate')) {
      const input = variables.fulfillment;
      const orderId = [...fake.orders].find(([, fos]) =>
        fos.some((fo) =>
          input.lineItemsByFulfillmentOrder.some(
            (l: { fulfillmentOrderId: string }) => l.fulfillmentOrderId === fo.id,
          ),
        ),
      )?.[0];
      if (!orderId)
        return {
          status: 200,
          body: {
            data: {
              fulfillmentCreate: {
                fulfillment: null,
                userErrors: [{ field: ['fulfillment'], message: 'Fulfillment order does not exist.' }],
              },
            },
            extensions,
          },
        };
      const f: Fulfillment = {
        id: `gid://shopify/Fulfillment/${fake.fulfillments.length + 1}`,
        orderId,
        trackingInfo: input.trackingInfo ?? {},
        notifyCustomer: input.notifyCustomer,
        lineItemsByFulfillmentOrder: input.lineItemsByFulfillmentOrder,
      };
      fake.fulfillments.push(f);
      for (const fo of fake.orders.get(orderId) ?? []) {
        const asked = input.lineItemsByFulfillmentOrder.find(
          (l: { fulfillmentOrderId: string }) => l.fulfillmentOrderId === fo.id,
        );
        if (!asked) continue;
        const items: { id: string; quantity: number }[] | undefined = asked.fulfillmentOrderLineItems;
        for (const li of fo.lineItems)
          li.remainingQuantity -= items
            ? (items.find((i) => i.id === li.id)?.quantity ?? 0)
            : li.remainingQuantity;
        fo.status = fo.lineItems.every((li) => li.remainingQuantity === 0) ? 'CLOSED' : 'IN_PROGRESS';
      }
      return {
        status: 200,
        body: {
          data: { fulfillmentCreate: { fulfillment: { id: f.id, status: 'SUCCESS' }, userErrors: [] } },
          extensions,
        },
      };
    }
    if (query.includes('fulfillmentOrders')) {
      const orderId = variables.id as string;
      const fos = fake.orders.get(orderId);
      if (!fos) return { status: 200, body: { data: { order: null }, extensions } };
      return {
        status: 200,
        body: {
          data: {
            order: {
              id: orderId,
              fulfillments: fake.fulfillments
                .filter((f) => f.orderId === orderId)
                .map((f) => ({
                  id: f.id,
                  trackingInfo: [
                    {
                      company: f.trackingInfo.company ?? null,
                      number: f.trackingInfo.number ?? null,
                      url: f.trackingInfo.url ?? null,
                    },
                  ],
                })),
              fulfillmentOrders: {
                nodes: fos.map((fo) => ({
                  id: fo.id,
                  status: fo.status,
                  lineItems: {
                    nodes: fo.lineItems.map((li) => ({
                      id: li.id,
                      sku: li.sku,
                      remainingQuantity: li.remainingQuantity,
                    })),
                  },
                })),
              },
            },
          },
          extensions,
        },
      };
    }
    return { status: 200, body: { errors: [{ message: 'Unknown operation' }], extensions } };
  });
  fake = {
    ...server,
    available: new Map(),
    sets: [],
    orders: new Map(),
    fulfillments: [],
    refundable: new Map(),
    refunds: [],
    waitFor: (key, quantity) =>
      fake.available.get(key) === quantity
        ? Promise.resolve()
        : new Promise<void>((resolve) => waiters.push({ key, quantity, resolve })),
    bucket: { maximum: 1000, restoreRate: 50, available: 1000, at: Date.now() },
  };
  // `faults` and `requests` are shared objects: the spread keeps them live.
  return fake;
}
