import { randomUUID } from 'node:crypto';
import { MANIFEST, type SystemManifest } from '../../lib/manifest/index.ts';
import type { TestRuntime } from './runtime.ts';

/**
 * The system with only finance's bus rules: events a test puts on the bus (a shipment, an order)
 * reach finance without the other contexts acting on orders and fulfillments they never made.
 * Routes, tables and the inventory stream are the real ones.
 */
export const financeOnlyRules: SystemManifest = {
  ...MANIFEST,
  rules: MANIFEST.rules.filter((r) => r.name.startsWith('finance-')),
};

/** Puts one event on the local bus the way PutEvents does; answers its id. */
export async function putEvent(
  rt: TestRuntime,
  e: { source: string; detailType: string; data: unknown; eventId?: string; occurredAt?: string },
): Promise<string> {
  const eventId = e.eventId ?? randomUUID();
  const res = await fetch(`${rt.url}/local/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      Entries: [
        {
          Source: e.source,
          DetailType: e.detailType,
          Detail: JSON.stringify({
            metadata: {
              eventId,
              occurredAt: e.occurredAt ?? new Date().toISOString(),
              version: 1,
              correlationId: `test-${eventId}`,
            },
            data: e.data,
          }),
        },
      ],
    }),
  });
  if (res.status !== 200) throw new Error(`put event: ${res.status}`);
  await rt.settle();
  return eventId;
}

/** A channel order with prices, as orders announces it. */
export const orderReceived = (
  orderId: string,
  lines: { lineId: string; sku: string; quantity: number; unitPrice: number }[],
) => ({
  source: 'qm.orders',
  detailType: 'OrderReceived',
  data: {
    orderId,
    channelId: 'web',
    externalId: orderId,
    lines,
    currency: 'USD',
    shipTo: null,
    paymentStatus: 'paid',
    placedAt: new Date().toISOString(),
    serviceLevel: 'standard',
  },
});

/** A parcel that left `locationId` with these order lines. */
export const shipmentConfirmed = (
  orderId: string,
  locationId: string,
  lines: { lineId: string; sku: string; quantity: number }[],
  shippedAt = new Date().toISOString(),
) => ({
  source: 'qm.fulfillment',
  detailType: 'ShipmentConfirmed',
  data: {
    shipmentId: `S-${orderId}-${shippedAt}`,
    fulfillmentId: `F-${orderId}`,
    orderId,
    channelId: 'web',
    externalId: orderId,
    locationId,
    reservationId: `R-${orderId}`,
    lines,
    carrier: 'ups',
    service: 'ground',
    trackingNumber: `1Z${orderId}`,
    packages: 1,
    shippedAt,
  },
});

/** A PO with one ASN, received in full: each line one GoodsReceived at its PO cost. */
export async function receive(
  rt: TestRuntime,
  id: string,
  locationId: string,
  lines: { sku: string; quantity: number; unitCost: string }[],
): Promise<string> {
  const expect = (res: { status: number; body: unknown }, what: string) => {
    if (res.status >= 300) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
  };
  expect(
    await rt.api('POST', '/api/purchase-orders', {
      body: { poId: `PO-${id}`, supplierId: 'ACME', locationId, expectedAt: '2026-12-20', lines },
    }),
    'PO',
  );
  expect(
    await rt.api('POST', '/api/asns', {
      body: {
        asnId: `ASN-${id}`,
        poId: `PO-${id}`,
        lines: lines.map((l) => ({ sku: l.sku, quantity: l.quantity })),
      },
    }),
    'ASN',
  );
  for (const l of lines) {
    expect(
      await rt.api('POST', `/api/receipts/ASN-${id}/scans`, {
        role: 'warehouse-associate',
        body: { code: l.sku, quantity: l.quantity, scanId: `${id}-${l.sku}` },
      }),
      'scan',
    );
  }
  await rt.settle();
  return `ASN-${id}`;
}
