import { type FakeServer, startFake } from './http-fake.ts';

export interface FakeWoo extends FakeServer {
  /** Product or variation id → what the store has. */
  products: Map<number, { stock_quantity: number | null; manage_stock: boolean; parent_id: number }>;
  orders: Map<
    number,
    {
      status: string;
      notes: { note: string; customer_note: boolean }[];
      /** The order's lines (for refunds); none unless a test sets them. */
      line_items?: { id: number; sku: string; quantity: number }[];
      refunds?: WooRefund[];
      /** When set, a refund is refused with this message (HTTP 400, as a gateway error is). */
      refuse?: string;
    }
  >;
}

interface WooRefund {
  id: number;
  amount: string;
  reason: string;
  api_refund: boolean;
  line_items: { id: number; quantity: number; refund_total: string }[];
}

let refundIds = 5000;

/**
 * WooCommerce REST v3 as the connector sees it: HTTP Basic with the key pair, `products/batch`,
 * `products/{id}/variations/batch` (per-item errors for unknown ids), order read, update and
 * notes, and an order's refunds (list, create).
 */
export async function startFakeWoo(opts: { key: string; secret: string }): Promise<FakeWoo> {
  const expected = `Basic ${Buffer.from(`${opts.key}:${opts.secret}`).toString('base64')}`;
  let fake: FakeWoo;
  const server = await startFake(async (req, raw) => {
    if (req.headers.authorization !== expected)
      return {
        status: 401,
        body: {
          code: 'woocommerce_rest_cannot_view',
          message: 'Sorry, you cannot list resources.',
          data: { status: 401 },
        },
      };
    const url = new URL(req.url ?? '/', 'http://x');
    const body = raw ? JSON.parse(raw) : {};
    let m = url.pathname.match(/^\/wp-json\/wc\/v3\/products\/batch$/);
    const variations = url.pathname.match(/^\/wp-json\/wc\/v3\/products\/(\d+)\/variations\/batch$/);
    if ((m || variations) && req.method === 'POST') {
      const parent = variations ? Number(variations[1]) : 0;
      const update = (body.update ?? []).map(
        (u: { id: number; stock_quantity: number; manage_stock: boolean }) => {
          const p = fake.products.get(u.id);
          if (!p || p.parent_id !== parent)
            return {
              id: u.id,
              error: {
                code: 'woocommerce_rest_product_invalid_id',
                message: 'Invalid ID.',
                data: { status: 400 },
              },
            };
          p.stock_quantity = u.stock_quantity;
          p.manage_stock = u.manage_stock;
          return { id: u.id, stock_quantity: p.stock_quantity, manage_stock: p.manage_stock };
        },
      );
      return { status: 200, body: { update } };
    }
    m = url.pathname.match(/^\/wp-json\/wc\/v3\/orders\/(\d+)\/refunds$/);
    if (m) {
      const o = fake.orders.get(Number(m[1]));
      if (!o)
        return {
          status: 404,
          body: { code: 'woocommerce_rest_shop_order_invalid_id', message: 'Invalid ID.' },
        };
      o.refunds ??= [];
      if (req.method === 'GET') return { status: 200, body: o.refunds };
      if (req.method === 'POST') {
        if (o.refuse)
          return {
            status: 400,
            body: { code: 'woocommerce_rest_cannot_create_order_refund', message: o.refuse },
          };
        const r: WooRefund = {
          id: ++refundIds,
          amount: String(body.amount),
          reason: String(body.reason ?? ''),
          api_refund: body.api_refund !== false,
          line_items: body.line_items ?? [],
        };
        o.refunds.push(r);
        return { status: 201, body: r };
      }
    }
    m = url.pathname.match(/^\/wp-json\/wc\/v3\/orders\/(\d+)$/);
    if (m && req.method === 'GET') {
      const o = fake.orders.get(Number(m[1]));
      if (!o)
        return {
          status: 404,
          body: { code: 'woocommerce_rest_shop_order_invalid_id', message: 'Invalid ID.' },
        };
      return { status: 200, body: { id: Number(m[1]), status: o.status, line_items: o.line_items ?? [] } };
    }
    if (m && req.method === 'PUT') {
      const o = fake.orders.get(Number(m[1]));
      if (!o)
        return {
          status: 404,
          body: { code: 'woocommerce_rest_shop_order_invalid_id', message: 'Invalid ID.' },
        };
      if (body.status) o.status = body.status;
      return { status: 200, body: { id: Number(m[1]), status: o.status } };
    }
    m = url.pathname.match(/^\/wp-json\/wc\/v3\/orders\/(\d+)\/notes$/);
    if (m && req.method === 'POST') {
      const o = fake.orders.get(Number(m[1]));
      if (!o)
        return {
          status: 404,
          body: { code: 'woocommerce_rest_order_invalid_id', message: 'Invalid order ID.' },
        };
      o.notes.push({ note: body.note, customer_note: Boolean(body.customer_note) });
      return { status: 201, body: { id: o.notes.length, note: body.note } };
    }
    return {
      status: 404,
      body: { code: 'rest_no_route', message: 'No route was found matching the URL and request method.' },
    };
  });
  fake = { ...server, products: new Map(), orders: new Map() };
  return fake;
}
