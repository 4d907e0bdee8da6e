import { type FakeServer, startFake } from './http-fake.ts';

export interface FakeWoo extends FakeServer {
  /** Product or variation id → what the store has. */
  products: Map<number, { stock_quantity: number | null; manage_stock: boolean; parent_id: number }>;
  orders: Map<number, { status: string; notes: { note: string; customer_note: boolean }[] }>;
}

/**
 * WooCommerce REST v3 as the connector sees it: HTTP Basic with the key pair, `products/batch`,
 * `products/{id}/variations/batch` (per-item errors for unknown ids), order update and notes.
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
    m = url.pathname.match(/^\/wp-json\/wc\/v3\/orders\/(\d+)$/);
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
