import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { outboxEvent } from '../../functions/orders/core/order-events.ts';
import type {
  IntakeException,
  IntakeStore,
  OrderOutcome,
} from '../../functions/orders/intake/core/intake-records.ts';
import {
  type Delivery,
  type IntakePorts,
  receiveDelivery,
} from '../../functions/orders/intake/core/receive-delivery.ts';
import { replayException } from '../../functions/orders/intake/core/replay-exception.ts';
import type { Channel } from '../../functions/orders/intake/schemas/channel.ts';
import type { StoredOrder } from '../../functions/orders/schemas/canonical-order.ts';
import type { DomainEvent } from '../../functions/shared/events.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/channels');
const shopifyOrder = JSON.parse(readFileSync(path.join(FIXTURES, 'shopify-orders-create.json'), 'utf8'));

/**
 * In-memory IntakeStore with the adapter's conditions: what the use case relies on, nothing
 * more. Every order write goes through the outbox rule, as the table stream does.
 */
class MemoryIntakeStore implements IntakeStore {
  orders = new Map<string, StoredOrder>();
  exceptions = new Map<string, IntakeException>();
  stream: DomainEvent[] = [];
  private writeOrder(order: StoredOrder) {
    const event = outboxEvent(this.orders.get(order.orderId), order);
    this.orders.set(order.orderId, structuredClone(order));
    if (event) this.stream.push(event);
  }
  async loadOrder(orderId: string) {
    return structuredClone(this.orders.get(orderId));
  }
  async createOrder(order: StoredOrder) {
    const existing = this.orders.get(order.orderId);
    if (existing) return { ok: false as const, existing: structuredClone(existing) };
    this.writeOrder(order);
    return { ok: true as const };
  }
  async updateOrder(
    orderId: string,
    set: Partial<StoredOrder>,
    expected: string,
    d: { id: string; outcome: OrderOutcome },
  ) {
    const current = this.orders.get(orderId);
    if (!current || current.sourceUpdatedAt !== expected || current.deliveries[d.id])
      return 'conflict' as const;
    this.writeOrder({
      ...current,
      ...set,
      deliveries: { ...current.deliveries, [d.id]: d.outcome },
    } as StoredOrder);
    return 'ok' as const;
  }
  async createException(e: IntakeException) {
    const existing = this.exceptions.get(e.exceptionId);
    if (existing) return { created: false as const, existing: structuredClone(existing) };
    this.exceptions.set(e.exceptionId, structuredClone(e));
    return { created: true as const };
  }
  async resolveException(id: string, resolution: NonNullable<IntakeException['resolution']>, at: string) {
    const exc = this.exceptions.get(id);
    if (exc?.status === 'open')
      this.exceptions.set(id, { ...exc, status: 'resolved', resolvedAt: at, resolution });
  }
  async recordReplayFailure(
    id: string,
    failure: Pick<IntakeException, 'code' | 'message' | 'issues'>,
    at: string,
  ) {
    const exc = this.exceptions.get(id);
    if (exc?.status === 'open')
      this.exceptions.set(id, { ...exc, ...failure, attempts: exc.attempts + 1, lastAttemptAt: at });
  }
  async getException(id: string) {
    return this.exceptions.get(id);
  }
}

const channel: Channel = {
  channelId: 'shop-us',
  type: 'shopify',
  locationIds: [],
  createdAt: '',
  updatedAt: '',
};
let store: MemoryIntakeStore;
let now: Date;
let listings: Map<string, string>;
let ports: IntakePorts;

beforeEach(() => {
  store = new MemoryIntakeStore();
  now = new Date('2026-11-20T15:00:00Z');
  listings = new Map();
  ports = {
    store,
    catalog: {
      async find(skus) {
        return new Map(
          skus
            .filter((s) => ['TEE-ORG-BLK-M', 'KIT-STARTER'].includes(s))
            .map((s) => [s, { isKit: s === 'KIT-STARTER' }]),
        );
      },
    },
    listings: {
      find: async (_c, ids) =>
        new Map(ids.filter((id) => listings.has(id)).map((id) => [id, listings.get(id) as string])),
    },
    clock: () => now,
  };
});

let seq = 0;
const delivery = (body: object, over: Partial<Delivery> = {}): Delivery => ({
  source: 'shopify',
  channel,
  channelKey: 'shop-us',
  deliveryId: `d-${++seq}`,
  topic: 'orders/create',
  rawBody: JSON.stringify(body),
  receivedAt: now.toISOString(),
  ...over,
});
const receive = (d: Delivery) => receiveDelivery(ports, d, { correlationId: 'test' });
const types = () => store.stream.map((e) => e.detailType);

describe('receiveDelivery', () => {
  it('creates the order with the OrderReceived it owes, in the same write', async () => {
    const result = await receive(delivery(shopifyOrder));
    expect(result).toMatchObject({ outcome: { kind: 'created', status: 'received' }, duplicate: false });
    expect(store.orders.size).toBe(1);
    expect(types()).toEqual(['OrderReceived']);
    const order = [...store.orders.values()][0] as StoredOrder;
    expect(store.stream[0]?.detail.metadata).toMatchObject({
      eventId: order.lastEvent?.eventId,
      correlationId: 'test',
    });
    expect(store.stream[0]?.detail.data).toMatchObject({
      orderId: order.orderId,
      externalId: '5830119948521',
    });
  });

  it('answers a repeated delivery id with the first outcome and writes nothing more', async () => {
    const d = delivery(shopifyOrder);
    const first = await receive(d);
    const again = await receive(d);
    expect(again).toEqual({ outcome: first.outcome, duplicate: true });
    expect(types()).toEqual(['OrderReceived']);
  });

  it('makes one order from concurrent identical deliveries', async () => {
    const d = delivery(shopifyOrder);
    const results = await Promise.all(Array.from({ length: 5 }, () => receive(d)));
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
    expect(store.orders.size).toBe(1);
    expect(types()).toEqual(['OrderReceived']);
  });

  it('applies a newer update and ignores an older one arriving after it', async () => {
    await receive(delivery(shopifyOrder));
    const newer = {
      ...shopifyOrder,
      updated_at: '2026-11-20T10:00:00-05:00',
      financial_status: 'partially_refunded',
    };
    const older = { ...shopifyOrder, updated_at: '2026-11-20T09:30:00-05:00', financial_status: 'refunded' };
    expect((await receive(delivery(newer, { topic: 'orders/updated' }))).outcome.kind).toBe('updated');
    expect((await receive(delivery(older, { topic: 'orders/updated' }))).outcome).toMatchObject({
      kind: 'ignored',
      reason: 'stale',
    });
    const order = [...store.orders.values()][0] as StoredOrder;
    expect(order.paymentStatus).toBe('partially_refunded');
    expect(types()).toEqual(['OrderReceived', 'OrderUpdated']);
    expect((store.stream[1]?.detail.data as { changed: string[] } | undefined)?.changed).toEqual([
      'paymentStatus',
    ]);
  });

  it('creates from an update that arrives before the create, then ignores the create', async () => {
    await receive(
      delivery({ ...shopifyOrder, updated_at: '2026-11-20T10:00:00-05:00' }, { topic: 'orders/updated' }),
    );
    expect((await receive(delivery(shopifyOrder))).outcome).toMatchObject({
      kind: 'ignored',
      reason: 'stale',
    });
    expect(types()).toEqual(['OrderReceived']);
  });

  it('publishes nothing for a newer update that changes nothing', async () => {
    await receive(delivery(shopifyOrder));
    await receive(
      delivery(
        { ...shopifyOrder, updated_at: '2026-11-20T10:00:00-05:00', tags: 'vip' },
        { topic: 'orders/updated' },
      ),
    );
    expect(types()).toEqual(['OrderReceived']);
  });

  it('cancels once, and never revives a cancelled order', async () => {
    await receive(delivery(shopifyOrder));
    const cancel = {
      ...shopifyOrder,
      updated_at: '2026-11-20T11:00:00-05:00',
      cancelled_at: '2026-11-20T11:00:00-05:00',
    };
    expect((await receive(delivery(cancel, { topic: 'orders/cancelled' }))).outcome.kind).toBe('cancelled');
    await receive(
      delivery({ ...shopifyOrder, updated_at: '2026-11-20T12:00:00-05:00' }, { topic: 'orders/updated' }),
    );
    expect([...store.orders.values()][0]?.status).toBe('cancelled');
    expect(types()).toEqual(['OrderReceived', 'OrderCancelled']);
  });

  it('stores an unmappable delivery once as an exception, and replays it once after the listing exists', async () => {
    const unmapped = {
      ...shopifyOrder,
      line_items: [{ ...shopifyOrder.line_items[0], sku: '', variant_id: 42 }],
    };
    const d = delivery(unmapped);
    const first = await receive(d);
    expect(first.outcome).toMatchObject({ kind: 'exception', code: 'UNKNOWN_SKU' });
    expect((await receive(d)).duplicate).toBe(true);
    expect(store.exceptions.size).toBe(1);
    expect(store.orders.size).toBe(0);

    listings.set('42', 'TEE-ORG-BLK-M');
    const exceptionId = (first.outcome as { exceptionId: string }).exceptionId;
    const replayPorts = { ...ports, exceptions: store, channelFor: async () => channel };
    const replays = await Promise.all([1, 2, 3].map(() => replayException(replayPorts, exceptionId, 'r')));
    expect(replays.filter((r) => !r.duplicate)).toHaveLength(1);
    expect(store.orders.size).toBe(1);
    expect(store.exceptions.get(exceptionId)).toMatchObject({
      status: 'resolved',
      resolution: { outcome: 'created' },
    });
    expect((await receive(d)).outcome).toMatchObject({ kind: 'created' });
    expect(types()).toEqual(['OrderReceived']);
  });

  it('moves only the status of a known order on a partial (Amazon) notification, keeping its lines', async () => {
    const amazonChannel: Channel = { ...channel, channelId: 'amz', type: 'amazon' };
    listings.set('132577', 'TEE-ORG-BLK-M');
    const n = JSON.parse(readFileSync(path.join(FIXTURES, 'amazon-sp-api-order-change.json'), 'utf8'));
    const amazon = (body: object) =>
      delivery(body, { source: 'amazon', channel: amazonChannel, channelKey: 'amz', topic: 'ORDER_CHANGE' });
    await receive(amazon(n));
    const later = structuredClone(n);
    later.EventTime = '2025-12-02T10:00:00.000Z';
    later.Payload.OrderChangeNotification.Summary.OrderStatus = 'Canceled';
    delete later.Payload.OrderChangeNotification.Summary.OrderItems;
    expect((await receive(amazon(later))).outcome.kind).toBe('cancelled');
    const order = [...store.orders.values()][0] as StoredOrder;
    expect(order.lines.map((l) => [l.sku, l.quantity])).toEqual([['TEE-ORG-BLK-M', 1]]);
    expect(order.channelStatus).toBe('Canceled');
  });
});

describe('orders outbox', () => {
  const order = (lastEvent?: StoredOrder['lastEvent']) =>
    ({
      orderId: 'ord_1',
      channelId: 'c',
      externalId: 'x',
      lines: [{ lineId: '1', sku: 'A', quantity: 1, unitPrice: 100, discount: 0, isKit: false }],
      currency: 'USD',
      shipTo: null,
      paymentStatus: 'paid',
      placedAt: '2026-11-20T00:00:00.000Z',
      serviceLevel: 'standard',
      customerRef: null,
      ...(lastEvent ? { lastEvent } : {}),
    }) as unknown as StoredOrder;
  const received = {
    eventId: 'e1',
    detailType: 'OrderReceived',
    occurredAt: '2026-11-20T00:00:01.000Z',
    correlationId: 'k',
  };

  it('publishes a new lastEvent with its own id, time and correlation id', () => {
    const event = outboxEvent(undefined, order(received));
    expect(event).toMatchObject({
      source: 'qm.orders',
      detailType: 'OrderReceived',
      detail: { metadata: { eventId: 'e1', occurredAt: '2026-11-20T00:00:01.000Z', correlationId: 'k' } },
    });
  });

  it('publishes nothing for a change that did not write a new event', () => {
    expect(
      outboxEvent(order(received), { ...order(received), status: 'released' } as StoredOrder),
    ).toBeUndefined();
    expect(outboxEvent(undefined, order())).toBeUndefined();
    expect(outboxEvent(order(received), undefined)).toBeUndefined();
  });
});

describe('receiveDelivery without lines', () => {
  it('cancels a known order from a full snapshot whose lines were all edited away', async () => {
    await receive(delivery(shopifyOrder));
    const emptied = {
      ...shopifyOrder,
      updated_at: '2026-11-20T11:00:00-05:00',
      cancelled_at: '2026-11-20T11:00:00-05:00',
      line_items: shopifyOrder.line_items.map((l: object) => ({ ...l, current_quantity: 0 })),
    };
    expect((await receive(delivery(emptied, { topic: 'orders/cancelled' }))).outcome.kind).toBe('cancelled');
    expect(types()).toEqual(['OrderReceived', 'OrderCancelled']);
    const released = (
      store.stream[1]?.detail.data as { lines: { sku: string; quantity: number }[] } | undefined
    )?.lines;
    expect(released?.map((l) => [l.sku, l.quantity])).toEqual([
      ['TEE-ORG-BLK-M', 2],
      ['KIT-STARTER', 1],
    ]);
  });

  it('ignores a first sight of an order that is already cancelled and has nothing to ship', async () => {
    const emptied = {
      ...shopifyOrder,
      cancelled_at: '2026-11-20T11:00:00-05:00',
      line_items: shopifyOrder.line_items.map((l: object) => ({ ...l, current_quantity: 0 })),
    };
    expect((await receive(delivery(emptied, { topic: 'orders/cancelled' }))).outcome).toEqual({
      kind: 'ignored',
      reason: 'cancelled before it was seen',
    });
    expect(store.orders.size).toBe(0);
  });

  it('cancels a known order even when a line of the cancelling snapshot no longer maps', async () => {
    await receive(delivery(shopifyOrder));
    const cancel = {
      ...shopifyOrder,
      updated_at: '2026-11-20T11:00:00-05:00',
      cancelled_at: '2026-11-20T11:00:00-05:00',
      line_items: [{ ...shopifyOrder.line_items[0], sku: 'GONE-FROM-CATALOG', variant_id: 1 }],
    };
    expect((await receive(delivery(cancel, { topic: 'orders/cancelled' }))).outcome.kind).toBe('cancelled');
  });
});
