import { type FakeServer, startFake } from './http-fake.ts';

export interface FakeThreePL extends FakeServer {
  /** Orders the 3PL holds, by our reference id (generic `referenceId`, ShipBob `reference_id`). */
  orders: Map<string, { id: number; body: Record<string, any> }>;
}

/**
 * A 3PL's order API as the hand-off sees it, with the faults of http-fake (429 + Retry-After,
 * 503, failures, slow replies): Bearer auth; generic `POST /orders` (201 `{ id }`, 409 for a
 * reference it already has); ShipBob-style `POST /order` (201 `{ id }`, 422 naming the
 * reference_id for a duplicate).
 */
export async function startFakeThreePL(opts: { token: string }): Promise<FakeThreePL> {
  let fake: FakeThreePL;
  let next = 1000;
  const server = await startFake(async (req, raw) => {
    if (req.headers.authorization !== `Bearer ${opts.token}`)
      return { status: 401, body: { error: 'unauthorized' } };
    const body = raw ? JSON.parse(raw) : {};
    if (req.method === 'POST' && req.url === '/orders') {
      const ref = String(body.referenceId ?? '');
      if (!ref) return { status: 400, body: { error: 'referenceId is required' } };
      const seen = fake.orders.get(ref);
      if (seen) return { status: 409, body: { error: 'duplicate referenceId', id: seen.id } };
      const id = ++next;
      fake.orders.set(ref, { id, body });
      return { status: 201, body: { id } };
    }
    if (req.method === 'POST' && req.url === '/order') {
      const ref = String(body.reference_id ?? '');
      if (fake.orders.has(ref))
        return { status: 422, body: { reference_id: ['An order with this reference_id already exists'] } };
      const id = ++next;
      fake.orders.set(ref, { id, body });
      return { status: 201, body: { id } };
    }
    return { status: 404, body: { error: 'not found' } };
  });
  fake = Object.assign(server, { orders: new Map<string, { id: number; body: Record<string, any> }>() });
  return fake;
}
