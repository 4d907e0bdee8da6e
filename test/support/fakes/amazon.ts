import type { IncomingMessage } from 'node:http';
import { type FakeServer, startFake } from './http-fake.ts';

/** SP-API's error body. */
const errors = (code: string, message: string) => ({ errors: [{ code, message, details: '' }] });
const money = (amount: string, currency: string) => ({ CurrencyCode: currency, Amount: amount });

export interface FakeAmazonItem {
  orderItemId: string;
  sellerSku: string;
  quantity: number;
  /** Per unit, decimal text; ItemPrice is this × quantity, as Amazon reports it. */
  unitPrice: string;
  tax?: string;
  shipping?: string;
  promotionDiscount?: string;
  title?: string;
}

export interface FakeAmazonOrder {
  order: Record<string, unknown>;
  items: Record<string, unknown>[];
  address: Record<string, unknown> | null;
  confirmations: Record<string, unknown>[];
}

export interface FakeAmazon extends FakeServer {
  /** Seller SKU → its merchant-fulfilled (DEFAULT) quantity, as the last accepted patch set it. */
  quantities: Map<string, number>;
  /** Every accepted quantity patch, in the order Amazon applied them. */
  patches: { sku: string; quantity: number }[];
  /** Resolves when the seller SKU's quantity is set to `quantity` (bench). */
  waitFor(sku: string, quantity: number): Promise<void>;
  orders: Map<string, FakeAmazonOrder>;
  /** Access tokens issued by the LWA endpoint; restricted data tokens issued. */
  issued: { lwa: number; rdt: number };
  /** The Listings Items usage plan the fake enforces (429 with `Retry-After` beyond it). */
  listingsPlan: { rate: number; burst: number; retryAfter: string };
  /** An MFN order in realistic Orders API v0 shapes. */
  addOrder(o: {
    amazonOrderId: string;
    marketplaceId: string;
    currency: string;
    status?: string;
    purchaseDate: string;
    serviceLevel?: string;
    items: FakeAmazonItem[];
    address: Record<string, unknown> | null;
  }): void;
}

/** Decimal text × integer, exact to the cent (fake-sized amounts). */
const times = (amount: string, n: number) => ((Math.round(Number(amount) * 100) * n) / 100).toFixed(2);
const plus = (...amounts: string[]) =>
  (amounts.reduce((s, a) => s + Math.round(Number(a) * 100), 0) / 100).toFixed(2);

/**
 * Selling Partner API as the connector sees it: Login with Amazon (`/auth/o2/token`, refresh
 * token grant), the Tokens API (restricted data tokens for the address path), Listings Items
 * `PATCH` (`fulfillment_availability`) under a usage plan that answers 429 with `Retry-After`,
 * Orders API v0 `getOrder`, `getOrderItems` (paged by `NextToken`), `getOrderAddress` (only
 * with a restricted data token) and `shipmentConfirmation` (204; items become shipped).
 */
export async function startFakeAmazon(opts: {
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  sellerId: string;
  /** getOrderItems page size (Amazon's is larger; small pages exercise NextToken). */
  itemsPerPage?: number;
}): Promise<FakeAmazon> {
  const accessTokens = new Set<string>();
  /** RDT → the paths it opens. */
  const rdts = new Map<string, string[]>();
  const bucket = { tokens: 0, at: 0 };
  const perPage = opts.itemsPerPage ?? 100;
  const waiters: { sku: string; quantity: number; resolve: () => void }[] = [];
  let fake: FakeAmazon;

  const throttled = () => {
    const { rate, burst } = fake.listingsPlan;
    const now = Date.now();
    bucket.tokens =
      bucket.at === 0 ? burst : Math.min(burst, bucket.tokens + ((now - bucket.at) / 1000) * rate);
    bucket.at = now;
    if (bucket.tokens < 1) return true;
    bucket.tokens -= 1;
    return false;
  };

  const server = await startFake(async (req: IncomingMessage, raw: string) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/auth/o2/token' && req.method === 'POST') {
      const form = new URLSearchParams(raw);
      if (form.get('grant_type') !== 'refresh_token')
        return { status: 400, body: { error: 'unsupported_grant_type', error_description: 'grant_type' } };
      if (form.get('client_id') !== opts.clientId || form.get('client_secret') !== opts.clientSecret)
        return {
          status: 401,
          body: { error: 'invalid_client', error_description: 'Client authentication failed' },
        };
      if (form.get('refresh_token') !== opts.refreshToken)
        return {
          status: 400,
          body: { error: 'invalid_grant', error_description: 'The request has an invalid grant parameter' },
        };
      const token = `Atza|fake-${++fake.issued.lwa}`;
      accessTokens.add(token);
      return {
        status: 200,
        body: {
          access_token: token,
          refresh_token: opts.refreshToken,
          token_type: 'bearer',
          expires_in: 3600,
        },
      };
    }

    const token = String(req.headers['x-amz-access-token'] ?? '');
    const body = raw ? JSON.parse(raw) : {};
    const address = url.pathname.match(/^\/orders\/v0\/orders\/([^/]+)\/address$/);
    if (address && req.method === 'GET') {
      // Personal data: only a restricted data token issued for this very path opens it.
      if (!rdts.get(token)?.includes(url.pathname))
        return { status: 403, body: errors('Unauthorized', 'Access to requested resource is denied.') };
      const o = fake.orders.get(decodeURIComponent(address[1] as string));
      if (!o) return { status: 404, body: errors('NotFound', 'Invalid AmazonOrderId') };
      return {
        status: 200,
        body: { payload: { AmazonOrderId: o.order.AmazonOrderId, ShippingAddress: o.address ?? undefined } },
      };
    }
    if (!accessTokens.has(token))
      return { status: 403, body: errors('Unauthorized', 'Access to requested resource is denied.') };

    if (url.pathname === '/tokens/2021-03-01/restrictedDataToken' && req.method === 'POST') {
      const resources = (body.restrictedResources ?? []) as { method: string; path: string }[];
      if (
        resources.length === 0 ||
        resources.some((r) => r.method !== 'GET' || !r.path?.startsWith('/orders/v0/'))
      )
        return { status: 400, body: errors('InvalidInput', 'restrictedResources is invalid') };
      const rdt = `Atz.sprdt|fake-${++fake.issued.rdt}`;
      rdts.set(
        rdt,
        resources.map((r) => r.path),
      );
      return { status: 200, body: { restrictedDataToken: rdt, expiresIn: 3600 } };
    }

    const listing = url.pathname.match(/^\/listings\/2021-08-01\/items\/([^/]+)\/([^/]+)$/);
    if (listing && req.method === 'PATCH') {
      if (throttled())
        return {
          status: 429,
          body: errors('QuotaExceeded', 'You exceeded your quota for the requested resource.'),
          headers: {
            'retry-after': fake.listingsPlan.retryAfter,
            'x-amzn-ratelimit-limit': String(fake.listingsPlan.rate),
          },
        };
      if (decodeURIComponent(listing[1] as string) !== opts.sellerId)
        return { status: 403, body: errors('Unauthorized', 'Access to requested resource is denied.') };
      if (!url.searchParams.get('marketplaceIds'))
        return { status: 400, body: errors('InvalidInput', 'Missing required marketplaceIds') };
      const sku = decodeURIComponent(listing[2] as string);
      const patch = body.patches?.[0];
      const value = patch?.value?.[0];
      if (
        !body.productType ||
        patch?.op !== 'replace' ||
        patch?.path !== '/attributes/fulfillment_availability' ||
        value?.fulfillment_channel_code !== 'DEFAULT' ||
        !Number.isInteger(value?.quantity) ||
        value.quantity < 0
      )
        return {
          status: 200,
          body: {
            sku,
            status: 'INVALID',
            submissionId: `sub-${fake.patches.length}`,
            issues: [{ code: '4000001', message: 'The patch is invalid', severity: 'ERROR' }],
          },
        };
      fake.quantities.set(sku, value.quantity);
      fake.patches.push({ sku, quantity: value.quantity });
      for (const w of waiters.filter((w) => w.sku === sku && w.quantity === value.quantity)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
      return {
        status: 200,
        body: { sku, status: 'ACCEPTED', submissionId: `sub-${fake.patches.length}`, issues: [] },
      };
    }

    const order = url.pathname.match(/^\/orders\/v0\/orders\/([^/]+)(\/orderItems|\/shipmentConfirmation)?$/);
    if (order) {
      const o = fake.orders.get(decodeURIComponent(order[1] as string));
      if (!o) return { status: 404, body: errors('NotFound', 'Invalid AmazonOrderId') };
      if (!order[2] && req.method === 'GET') return { status: 200, body: { payload: o.order } };
      if (order[2] === '/orderItems' && req.method === 'GET') {
        const from = Number(url.searchParams.get('NextToken') ?? 0);
        const page = o.items.slice(from, from + perPage);
        const next = from + perPage < o.items.length ? String(from + perPage) : undefined;
        return {
          status: 200,
          body: {
            payload: {
              AmazonOrderId: o.order.AmazonOrderId,
              OrderItems: page,
              ...(next ? { NextToken: next } : {}),
            },
          },
        };
      }
      if (order[2] === '/shipmentConfirmation' && req.method === 'POST') {
        const p = body.packageDetail;
        if (
          !body.marketplaceId ||
          !/^\d+$/.test(String(p?.packageReferenceId ?? '')) ||
          !p?.carrierCode ||
          !p?.trackingNumber ||
          Number.isNaN(Date.parse(p?.shipDate)) ||
          !Array.isArray(p?.orderItems) ||
          p.orderItems.length === 0
        )
          return { status: 400, body: errors('InvalidInput', 'packageDetail is invalid') };
        for (const line of p.orderItems as { orderItemId: string; quantity: number }[]) {
          const item = o.items.find((i) => i.OrderItemId === line.orderItemId);
          if (!item)
            return { status: 400, body: errors('InvalidInput', `Invalid orderItemId ${line.orderItemId}`) };
          if ((item.QuantityShipped as number) + line.quantity > (item.QuantityOrdered as number))
            return {
              status: 400,
              body: errors('InvalidInput', `Quantity exceeds the ordered for ${line.orderItemId}`),
            };
        }
        for (const line of p.orderItems as { orderItemId: string; quantity: number }[]) {
          const item = o.items.find((i) => i.OrderItemId === line.orderItemId) as Record<string, number>;
          item.QuantityShipped = (item.QuantityShipped ?? 0) + line.quantity;
        }
        o.confirmations.push(body);
        if (o.items.every((i) => i.QuantityShipped === i.QuantityOrdered)) o.order.OrderStatus = 'Shipped';
        return { status: 204, body: '' };
      }
    }
    return { status: 404, body: errors('NotFound', `No operation at ${req.method} ${url.pathname}`) };
  });

  fake = {
    ...server,
    quantities: new Map(),
    patches: [],
    orders: new Map(),
    waitFor: (sku, quantity) =>
      fake.quantities.get(sku) === quantity
        ? Promise.resolve()
        : new Promise<void>((resolve) => waiters.push({ sku, quantity, resolve })),
    issued: { lwa: 0, rdt: 0 },
    listingsPlan: { rate: 5, burst: 5, retryAfter: '1' },
    addOrder(o) {
      const c = o.currency;
      const items = o.items.map((i) => ({
        ASIN: `B0${i.orderItemId.slice(-8).padStart(8, '0')}`,
        SellerSKU: i.sellerSku,
        OrderItemId: i.orderItemId,
        Title: i.title ?? i.sellerSku,
        QuantityOrdered: i.quantity,
        QuantityShipped: 0,
        ItemPrice: money(times(i.unitPrice, i.quantity), c),
        ItemTax: money(i.tax ?? '0.00', c),
        ShippingPrice: money(i.shipping ?? '0.00', c),
        ShippingTax: money('0.00', c),
        PromotionDiscount: money(i.promotionDiscount ?? '0.00', c),
        IsGift: 'false',
        ConditionId: 'New',
      }));
      const total = plus(
        ...o.items.flatMap((i) => [
          times(i.unitPrice, i.quantity),
          i.tax ?? '0',
          i.shipping ?? '0',
          `-${i.promotionDiscount ?? '0'}`,
        ]),
      );
      fake.orders.set(o.amazonOrderId, {
        order: {
          AmazonOrderId: o.amazonOrderId,
          PurchaseDate: o.purchaseDate,
          LastUpdateDate: o.purchaseDate,
          OrderStatus: o.status ?? 'Unshipped',
          FulfillmentChannel: 'MFN',
          SalesChannel: 'Amazon.com',
          ShipServiceLevel: o.serviceLevel ?? 'Std US D2D Dom',
          ShipmentServiceLevelCategory: o.serviceLevel === 'Expedited' ? 'Expedited' : 'Standard',
          OrderTotal: money(total, c),
          NumberOfItemsShipped: 0,
          NumberOfItemsUnshipped: o.items.reduce((s, i) => s + i.quantity, 0),
          PaymentMethod: 'Other',
          PaymentMethodDetails: ['Standard'],
          MarketplaceId: o.marketplaceId,
          OrderType: 'StandardOrder',
          IsBusinessOrder: false,
          IsPrime: false,
          IsPremiumOrder: false,
          IsReplacementOrder: false,
        },
        items,
        address: o.address,
        confirmations: [],
      });
    },
  };
  return fake;
}
