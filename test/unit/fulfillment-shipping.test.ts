import { describe, expect, it } from 'vitest';
import { cancelFulfillment, requestCancel } from '../../functions/fulfillment/core/cancellation.ts';
import { packScan, putPackages } from '../../functions/fulfillment/core/packing.ts';
import type { StoredTask } from '../../functions/fulfillment/core/ports.ts';
import { orderLinesShipped, ship } from '../../functions/fulfillment/core/shipping.ts';
import type {
  ShipmentStore,
  ShippingPorts,
  ShippingRecord,
} from '../../functions/fulfillment/core/shipping-ports.ts';
import { awaitPhase, waitingIn } from '../../functions/fulfillment/core/workflow-steps.ts';
import type { DomainEvent } from '../../functions/shared/events.ts';

/**
 * Pack, ship, the workflow's await step and cancel against in-memory ports: the refusals, the
 * once-only events, the kit collapse, and the races a cancel can have with a shipment.
 */

const who = { actor: 'sam', correlationId: 'c-1' };

function record(over: Partial<ShippingRecord> = {}): ShippingRecord {
  return {
    fulfillmentId: 'F1',
    orderId: 'O1',
    channelId: 'web',
    externalId: 'ext-1',
    locationId: 'WH',
    reservationId: 'F1',
    serviceLevel: 'standard',
    priority: 1,
    status: 'picked',
    lines: [
      { lineId: 'L1', sku: 'TEE', quantity: 2, picked: 2, packed: 0, shorted: 0 },
      { lineId: 'L2', sku: 'MUG', quantity: 1, picked: 1, packed: 0, shorted: 1 },
    ],
    waveId: 'W1',
    createdAt: '2026-06-10T09:00:00.000Z',
    updatedAt: '2026-06-10T09:00:00.000Z',
    version: 1,
    ...over,
  };
}

function fakes(
  initial: ShippingRecord,
  opts: { release?: 'released' | 'consumed'; tasks?: StoredTask[] } = {},
) {
  let current = structuredClone(initial);
  const published: DomainEvent[] = [];
  const consumed: unknown[] = [];
  const moves: unknown[] = [];
  const succeeded: string[] = [];
  const failed: string[] = [];
  const advanced: string[] = [];
  const change = (before: ShippingRecord, fields: Partial<ShippingRecord>) => {
    if (before.version !== current.version) return false;
    current = { ...current, ...structuredClone(fields), version: current.version + 1 };
    return true;
  };
  const shipments: ShipmentStore = {
    load: async () => structuredClone(current),
    async parkToken(_before, phase, token, waiting) {
      if (!waiting.includes(current.status) || current.cancelRequested) return false;
      current.tokens = { ...current.tokens, [phase]: token };
      return true;
    },
    async requestCancel(_id, reason, at) {
      if (current.status !== 'shipped' && !current.cancelRequested)
        change(current, { cancelRequested: { reason, at } });
      return structuredClone(current);
    },
    recordPackScan: async (before, lines, at) => change(before, { lines, updatedAt: at }),
    markPacked: async (before, packages, at, by) =>
      change(before, { status: 'packed', packages, packedAt: at, packedBy: by }),
    markShipped: async (before, shipment) => change(before, { status: 'shipped', shipment }),
    markCancelled: async (before) => current.status !== 'shipped' && change(before, { status: 'cancelled' }),
    async claimPublish(_id, type, claim) {
      const held = current.publishClaims?.[type];
      if (current.published?.includes(type) || (held && held >= claim.staleBefore)) return false;
      current.publishClaims = { ...current.publishClaims, [type]: claim.at };
      return true;
    },
    async markPublished(_id, type) {
      current.published = [...(current.published ?? []), type];
    },
    async markSignalled(_id, phase) {
      current.signalled = [...(current.signalled ?? []), phase];
    },
    async raiseException(_id, exception) {
      current.exception = exception;
    },
    async clearException(_id, phases) {
      if (phases.includes(current.exception?.phase as never)) delete current.exception;
    },
    ofOrder: async () => [structuredClone(current)],
    tasksOf: async () => opts.tasks ?? [],
  };
  const ports: ShippingPorts = {
    shipments,
    inventory: {
      async consume(cmd) {
        consumed.push(cmd);
        return { applied: consumed.length === 1 };
      },
      release: async () => opts.release ?? 'released',
      async moveBetweenBins(cmd) {
        moves.push(cmd);
        return { applied: true };
      },
    },
    barcodes: async () => new Map([['TEE', ['0001']]]),
    tokens: {
      async succeed(token) {
        succeeded.push(token);
        return 'ok';
      },
      async fail(token) {
        failed.push(token);
        return 'ok';
      },
    },
    signals: {
      async advance(_id, phase) {
        advanced.push(phase);
      },
      async cancel() {},
    },
    events: {
      async publish(events) {
        published.push(...events);
      },
    },
    clock: () => new Date('2026-06-10T12:00:00.000Z'),
  };
  return { ports, state: () => current, published, consumed, moves, succeeded, failed, advanced };
}

const types = (events: DomainEvent[]) => events.map((e) => e.detailType);

describe('pack scans', () => {
  it('counts a barcode or the SKU code on its line, refuses other codes and one unit too many', async () => {
    const t = fakes(record());
    await packScan(t.ports, 'F1', { code: '0001' });
    await packScan(t.ports, 'F1', { code: 'TEE' });
    expect(t.state().lines.map((l) => l.packed)).toEqual([2, 0]);
    await expect(packScan(t.ports, 'F1', { code: 'TEE' })).rejects.toMatchObject({ code: 'EXTRA_UNIT' });
    await expect(packScan(t.ports, 'F1', { code: 'HAT' })).rejects.toMatchObject({ code: 'WRONG_ITEM' });
    expect(t.state().lines.map((l) => l.packed)).toEqual([2, 0]);
  });

  it('takes scans only on a picked fulfillment, and a retried scan id once', async () => {
    const early = fakes(record({ status: 'picking' }));
    await expect(packScan(early.ports, 'F1', { code: 'TEE' })).rejects.toMatchObject({ code: 'NOT_PICKED' });
    const t = fakes(record({ packScanIds: ['s-1'] }));
    await packScan(t.ports, 'F1', { code: 'TEE', scanId: 's-1' });
    expect(t.state().lines[0]?.packed).toBe(0);
  });
});

describe('packages', () => {
  const box = [{ weightGrams: 500, lengthMm: 300, widthMm: 200, heightMm: 100 }];

  it('are refused until every unit is scanned, then pack once and publish FulfillmentPacked once', async () => {
    const t = fakes(record());
    await expect(putPackages(t.ports, 'F1', box, who)).rejects.toMatchObject({
      code: 'PACK_INCOMPLETE',
      details: {
        missing: [
          { sku: 'TEE', missing: 2 },
          { sku: 'MUG', missing: 1 },
        ],
      },
    });
    for (const code of ['TEE', 'TEE', 'MUG']) await packScan(t.ports, 'F1', { code });
    expect((await putPackages(t.ports, 'F1', box, who)).changed).toBe(true);
    expect((await putPackages(t.ports, 'F1', box, who)).changed).toBe(false);
    expect(t.state().status).toBe('packed');
    expect(types(t.published)).toEqual(['FulfillmentPacked']);
    await expect(putPackages(t.ports, 'F1', [...box, ...box], who)).rejects.toMatchObject({
      code: 'ALREADY_PACKED',
    });
  });
});

describe('ship', () => {
  const packed = () =>
    record({
      status: 'packed',
      packages: [{ weightGrams: 500, lengthMm: 300, widthMm: 200, heightMm: 100 }],
      packedAt: '2026-06-10T11:00:00.000Z',
      published: ['FulfillmentPacked'],
      lines: [
        { lineId: 'L1', sku: 'TEE', quantity: 2, picked: 2, packed: 2, shorted: 0 },
        { lineId: 'L3', sku: 'TEE', quantity: 1, picked: 1, packed: 1, shorted: 0 },
      ],
    });
  const body = { carrier: 'UPS', service: 'ground', trackingNumber: '1Z' };

  it('consumes from STAGING, confirms once, and a repeat answers the same shipment', async () => {
    const t = fakes(packed());
    const first = await ship(t.ports, 'F1', body, who);
    const again = await ship(t.ports, 'F1', { ...body, trackingNumber: 'other' }, who);
    expect(first.changed).toBe(true);
    expect(again).toMatchObject({ changed: false, fulfillment: { shipment: { trackingNumber: '1Z' } } });
    expect(t.consumed).toEqual([
      {
        reservationId: 'F1',
        picks: [{ sku: 'TEE', locationId: 'WH', binId: 'STAGING', quantity: 3 }],
        reason: 'shipment',
      },
    ]);
    expect(types(t.published)).toEqual(['ShipmentConfirmed']);
    expect(t.advanced).toEqual(['shipped', 'shipped']);
  });

  it('refuses what is not packed, and a cancelled fulfillment', async () => {
    const t = fakes(record());
    await expect(ship(t.ports, 'F1', body, who)).rejects.toMatchObject({ code: 'NOT_PACKED' });
    const c = fakes({ ...packed(), cancelRequested: { reason: 'x', at: 'now' } });
    await expect(ship(c.ports, 'F1', body, who)).rejects.toMatchObject({ code: 'FULFILLMENT_CANCELLED' });
    expect(c.consumed).toEqual([]);
  });

  it('reports kit components as the kit’s order line, counting complete kits', () => {
    expect(
      orderLinesShipped([
        { lineId: 'L1', sku: 'TEE', quantity: 2, picked: 2, packed: 2, shorted: 0 },
        {
          lineId: 'L2',
          sku: 'CUP',
          kitSku: 'GIFT',
          unitsPerKit: 2,
          quantity: 4,
          picked: 4,
          packed: 4,
          shorted: 0,
        },
        {
          lineId: 'L2',
          sku: 'BOX',
          kitSku: 'GIFT',
          unitsPerKit: 1,
          quantity: 2,
          picked: 2,
          packed: 2,
          shorted: 0,
        },
        { lineId: 'L4', sku: 'HAT', quantity: 0, picked: 0, packed: 0, shorted: 1 },
      ]),
    ).toEqual([
      { lineId: 'L1', sku: 'TEE', quantity: 2 },
      { lineId: 'L2', sku: 'GIFT', quantity: 2 },
    ]);
  });
});

describe('the workflow’s await step', () => {
  it('parks while the fulfillment waits, completes at once when it is past the phase', async () => {
    const t = fakes(record({ status: 'waved' }));
    expect(waitingIn('picked')).toEqual(['released', 'waved', 'picking']);
    expect(await awaitPhase(t.ports, 'F1', 'picked', 'tok-pick')).toMatchObject({ parked: true });
    expect(t.state().tokens).toEqual({ picked: 'tok-pick' });
    expect(await awaitPhase(t.ports, 'F1', 'waved', 'tok-wave')).toMatchObject({ parked: false });
    expect(t.succeeded).toEqual(['tok-wave']);
  });

  describe('as the backstop for events a command died before publishing', () => {
    const shipped = (claimedAt: string) =>
      record({
        status: 'shipped',
        packages: [{ weightGrams: 500, lengthMm: 300, widthMm: 200, heightMm: 100 }],
        packedAt: '2026-06-10T11:00:00.000Z',
        published: ['FulfillmentPacked'],
        publishClaims: { ShipmentConfirmed: claimedAt },
        shipment: {
          shipmentId: 'F1',
          carrier: 'UPS',
          service: 'ground',
          trackingNumber: '1Z',
          shippedAt: claimedAt,
          shippedBy: 'packer',
        },
      });

    it('leaves the event to the ship command still publishing it, so it goes out once', async () => {
      const t = fakes(shipped('2026-06-10T11:59:59.000Z'));
      // The ship command holds a live claim and finishes its publish while the step waits.
      setTimeout(() => {
        t.state().published = ['FulfillmentPacked', 'ShipmentConfirmed'];
      }, 250);
      expect(await awaitPhase(t.ports, 'F1', 'shipped', 'tok-ship')).toMatchObject({ parked: false });
      expect(t.published).toEqual([]);
      expect(t.succeeded).toEqual(['tok-ship']);
    });

    it('publishes once the claim of a publisher that died went stale', async () => {
      const t = fakes(shipped('2026-06-10T11:58:00.000Z'));
      await awaitPhase(t.ports, 'F1', 'shipped', 'tok-ship');
      await awaitPhase(t.ports, 'F1', 'shipped', 'tok-again');
      expect(types(t.published)).toEqual(['ShipmentConfirmed']);
      expect(t.state().published).toEqual(['FulfillmentPacked', 'ShipmentConfirmed']);
    });

    it('fails PublishInFlight (for the state to retry later) while a live claim is not published', async () => {
      const t = fakes(shipped('2026-06-10T11:59:59.000Z'));
      await expect(awaitPhase(t.ports, 'F1', 'shipped', 'tok-ship')).rejects.toMatchObject({
        name: 'PublishInFlight',
      });
      expect(t.published).toEqual([]);
      expect(t.succeeded).toEqual([]);
    });
  });

  it('fails with FulfillmentCancelled once a cancel was asked', async () => {
    const t = fakes(record({ status: 'waved', tokens: { picked: 'tok-pick' } }));
    expect(await requestCancel(t.ports, 'F1', 'order cancelled')).toBe('requested');
    expect(t.failed).toEqual(['tok-pick']);
    await expect(awaitPhase(t.ports, 'F1', 'picked', 'tok-2')).rejects.toMatchObject({
      name: 'FulfillmentCancelled',
    });
  });
});

describe('cancel', () => {
  const task = (taskId: string, binId: string, picked: number): StoredTask => ({
    taskId,
    waveId: 'W1',
    locationId: 'WH',
    binId,
    binCode: binId,
    zone: 'A',
    walkOrder: 1,
    sku: 'TEE',
    barcodes: ['TEE'],
    quantity: 5,
    pickedQuantity: picked + 1,
    status: 'claimed',
    allocations: [
      { fulfillmentId: 'F1', lineId: 'L1', quantity: 2, picked },
      { fulfillmentId: 'F2', lineId: 'L1', quantity: 3, picked: 1 },
    ],
    version: 1,
  });

  it('releases, marks cancelled and puts this fulfillment’s picked units back in their bins', async () => {
    const t = fakes(record({ status: 'picking' }), {
      tasks: [task('W1.1', 'A-01', 2), task('W1.2', 'A-02', 0)],
    });
    expect(await cancelFulfillment(t.ports, 'F1', 'c-1')).toEqual({ outcome: 'cancelled', unitsReturned: 2 });
    expect(t.state().status).toBe('cancelled');
    expect(t.moves).toEqual([
      expect.objectContaining({
        fromBinId: 'STAGING',
        toBinId: 'A-01',
        quantity: 2,
        idempotencyKey: 'cancel:F1:W1.1',
      }),
    ]);
  });

  it('changes nothing when the shipment consumed the reservation first', async () => {
    const t = fakes(record({ status: 'packed' }), { release: 'consumed', tasks: [task('W1.1', 'A-01', 2)] });
    expect(await cancelFulfillment(t.ports, 'F1', 'c-1')).toEqual({ outcome: 'shipped', unitsReturned: 0 });
    expect(t.state().status).toBe('packed');
    expect(t.moves).toEqual([]);
  });
});
