import { expect } from 'vitest';
import { orderIdFor } from '../../functions/orders/keys.ts';
import { hmacSha256 } from '../../functions/shared/webhooks.ts';
import type { TestRuntime } from '../support/runtime.ts';

/** Shared arrangement for the order-release tests (workflow, integration, e2e). */

export const SECRET = 'order-release-storefront-key';

let seq = 0;

export async function putSku(rt: TestRuntime, sku: string) {
  const res = await rt.api('PUT', `/api/skus/${sku}`, { body: { name: sku } });
  expect(res.status).toBeLessThan(300);
}

export async function putLocation(
  rt: TestRuntime,
  id: string,
  type: 'warehouse' | 'store' | '3pl',
  country = 'US',
  region?: string,
) {
  const res = await rt.api('PUT', `/api/locations/${id}`, {
    body: {
      name: id,
      type,
      address: {
        line1: '1 Dock Rd',
        city: 'Somewhere',
        postalCode: '00001',
        country,
        ...(region ? { region } : {}),
      },
    },
  });
  expect(res.status).toBeLessThan(300);
}

export async function putChannel(
  rt: TestRuntime,
  channelId: string,
  body: { locationIds: string[]; priority?: number; fraudThreshold?: number; allowSplit?: boolean },
) {
  const res = await rt.api('PUT', `/api/channels/${channelId}`, {
    body: { type: 'generic', secret: SECRET, ...body },
  });
  expect(res.status).toBeLessThan(300);
}

/** Sets a position's available units with an adjustment (positive only). */
export async function stock(rt: TestRuntime, sku: string, locationId: string, delta: number) {
  const res = await rt.api('POST', '/api/inventory/adjustments', {
    body: {
      sku,
      locationId,
      delta,
      reason: 'test stock',
      idempotencyKey: `stock-${sku}-${locationId}-${++seq}-${Date.now()}`,
    },
  });
  expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
}

export interface OrderSpec {
  externalId?: string;
  lines?: { sku: string; quantity: number; unitPrice?: string }[];
  payment?: string;
  shipTo?: Record<string, unknown> | null;
  serviceLevel?: string;
  placedAt?: string;
  customerRef?: string | null;
}

export function storefrontBody(spec: OrderSpec = {}) {
  const externalId = spec.externalId ?? `ext-${Date.now()}-${++seq}`;
  return {
    externalId,
    body: JSON.stringify({
      externalId,
      placedAt: spec.placedAt ?? new Date().toISOString(),
      currency: 'USD',
      lines: (spec.lines ?? [{ sku: 'TEE', quantity: 1 }]).map((l, i) => ({
        lineId: `L${i + 1}`,
        sku: l.sku,
        quantity: l.quantity,
        unitPrice: l.unitPrice ?? '10.00',
      })),
      shipTo:
        spec.shipTo === undefined
          ? {
              name: 'Sam Doe',
              line1: '1 Main St',
              city: 'Portland',
              region: 'OR',
              postalCode: '97201',
              country: 'US',
              phone: '555',
            }
          : spec.shipTo,
      payment: { status: spec.payment ?? 'paid' },
      ...(spec.serviceLevel ? { serviceLevel: spec.serviceLevel } : {}),
      customerRef: spec.customerRef === undefined ? 'cust-1' : spec.customerRef,
    }),
  };
}

/** POSTs a signed storefront webhook; answers the order id. */
export async function sendOrder(
  rt: TestRuntime,
  channelId: string,
  spec: OrderSpec = {},
  deliveryId?: string,
) {
  const { externalId, body } = storefrontBody(spec);
  const res = await fetch(`${rt.url}/webhooks/orders/${channelId}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-qm-signature': `sha256=${hmacSha256(SECRET, body, 'hex')}`,
      'idempotency-key': deliveryId ?? `d-${externalId}`,
    },
    body,
  });
  expect(res.status, await res.clone().text()).toBeLessThan(300);
  return orderIdFor(channelId, externalId);
}

export async function getOrder(rt: TestRuntime, orderId: string) {
  const res = await rt.api('GET', `/api/orders/${orderId}`);
  expect(res.status).toBe(200);
  return res.body;
}

export async function waitForStatus(rt: TestRuntime, orderId: string, status: string, timeoutMs = 30_000) {
  const until = Date.now() + timeoutMs;
  let last: any;
  while (Date.now() < until) {
    await rt.settle();
    last = await getOrder(rt, orderId);
    if (last.status === status) return last;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(
    `order ${orderId} is ${last?.status}, not ${status}: ${JSON.stringify(last?.releaseFailure ?? last?.holds ?? {})}`,
  );
}

/** Positions of a SKU by location: { WH1: { onHand, reserved, available, … } }. */
export async function positions(rt: TestRuntime, sku: string): Promise<Record<string, any>> {
  const res = await rt.api('GET', `/api/inventory/${sku}`);
  expect(res.status).toBe(200);
  return Object.fromEntries(res.body.positions.map((p: any) => [p.locationId, p]));
}

/**
 * The stock invariants after a branch: the inventory checker finds nothing (no negative bucket,
 * onHand = ledger, reserved = open reservations), every position has available ≥ 0, and no
 * event was dead-lettered on the way.
 */
export async function expectStockInvariants(rt: TestRuntime, skus: string[]) {
  await rt.settle();
  expect(rt.bus.deadLetters.map((d) => `${d.rule}: ${d.error}`)).toEqual([]);
  for (const sku of skus) {
    const check = await rt.api('POST', '/api/inventory/checks', { body: { sku } });
    expect(check.status).toBe(200);
    expect(check.body.mismatches, JSON.stringify(check.body.mismatches)).toEqual([]);
    for (const p of Object.values(await positions(rt, sku))) {
      expect(p.available).toBeGreaterThanOrEqual(0);
      expect(p.reserved).toBeGreaterThanOrEqual(0);
    }
  }
}

export const releaseEvents = (rt: TestRuntime, type: string, orderId: string) =>
  rt.bus.events({ detailType: type }).filter((e: any) => e.detail?.data?.orderId === orderId);
