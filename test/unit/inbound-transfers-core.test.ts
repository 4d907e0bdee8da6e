import { describe, expect, it } from 'vitest';
import { arrivalsOf } from '../../functions/inbound/core/arrivals.ts';
import { receiptReport } from '../../functions/inbound/core/receipt-report.ts';
import {
  receiveTransfer,
  shipTransfer,
  type TransferPorts,
  transferVariances,
} from '../../functions/inbound/core/transfers.ts';
import type { Asn, PoLine } from '../../functions/inbound/schemas/inbound.ts';
import type { PutawayTask } from '../../functions/inbound/schemas/putaway.ts';
import type { ScanRecord } from '../../functions/inbound/schemas/receiving.ts';
import type { Transfer } from '../../functions/inbound/schemas/transfers.ts';

const who = { actor: 'ann', correlationId: 'c-1' };

/** Transfers' ports in memory: one created transfer, inventory steps recorded by key, a crash switch. */
function rig(opts: { short?: boolean } = {}) {
  let stored: Transfer | undefined = {
    transferId: 'T',
    fromLocationId: 'A',
    toLocationId: 'B',
    lines: [
      { sku: 'X', quantity: 4 },
      { sku: 'Y', quantity: 2 },
    ],
    status: 'created',
    fingerprint: 'f',
    createdAt: '2026-12-01T00:00:00.000Z',
    createdBy: 'ann',
    version: 1,
  };
  const reservation = { status: undefined as string | undefined };
  const applied = new Map<string, { sku: string; delta: number; kind: string }>();
  const published: unknown[] = [];
  const state = { crashOnSave: false };
  const ports: TransferPorts = {
    transfers: {
      transfer: async () => stored,
      create: async () => true,
      async ship(t, v) {
        if (stored?.version !== v) return false;
        stored = t;
        return true;
      },
      async save(t, v) {
        if (state.crashOnSave && t.status === 'received') throw new Error('crash');
        if (stored?.version !== v) return false;
        stored = t;
        return true;
      },
      list: async () => ({ items: [] }),
      inTransit: async () => [],
    },
    catalog: { kinds: async () => new Map() },
    locations: { exists: async () => true },
    inventory: {
      reservation: async () => reservation.status,
      async reserve() {
        if (opts.short) return { status: 'refused', code: 'INSUFFICIENT_STOCK', message: 'short' };
        reservation.status = 'open';
        return { status: 'ok' };
      },
      async consume() {
        reservation.status = 'consumed';
        return { status: 'ok' };
      },
      async release() {
        reservation.status = 'released';
      },
      async changeInTransit(cmd) {
        if (!applied.has(cmd.idempotencyKey))
          applied.set(cmd.idempotencyKey, { sku: cmd.sku, delta: cmd.delta, kind: 'transit' });
      },
      async receive(cmd) {
        if (!applied.has(cmd.idempotencyKey))
          applied.set(cmd.idempotencyKey, { sku: cmd.sku, delta: cmd.quantity, kind: 'receive' });
      },
    },
    events: { publish: async (e) => void published.push(...e) },
    clock: () => new Date('2026-12-05T10:00:00.000Z'),
  };
  const net = (kind: string, sku: string) =>
    [...applied.values()].filter((a) => a.kind === kind && a.sku === sku).reduce((s, a) => s + a.delta, 0);
  return { ports, reservation, net, published, state, stored: () => stored };
}

describe('transfers', () => {
  it('ships once: reserved and consumed at the source, in transit at the destination, expected two days on', async () => {
    const r = rig();
    const shipped = await shipTransfer(r.ports, 'T', {}, who);
    expect(shipped).toMatchObject({ status: 'shipped', expectedAt: '2026-12-07', shippedBy: 'ann' });
    expect(r.reservation.status).toBe('consumed');
    expect([r.net('transit', 'X'), r.net('transit', 'Y')]).toEqual([4, 2]);
    expect(await shipTransfer(r.ports, 'T', {}, who)).toEqual(shipped);
    expect(r.net('transit', 'X')).toBe(4);
  });

  it('ships nothing when the source is short', async () => {
    const r = rig({ short: true });
    await expect(shipTransfer(r.ports, 'T', {}, who)).rejects.toMatchObject({
      code: 'INSUFFICIENT_STOCK',
      status: 409,
    });
    expect(r.stored()?.status).toBe('created');
    expect(r.net('transit', 'X')).toBe(0);
  });

  it('receives with variances; a retry after a crash finishes without moving stock twice', async () => {
    const r = rig();
    await shipTransfer(r.ports, 'T', {}, who);
    r.state.crashOnSave = true;
    const count = { lines: [{ sku: 'X', quantity: 3 }] };
    await expect(receiveTransfer(r.ports, 'T', count, who)).rejects.toThrow('crash');
    expect(r.stored()?.status).toBe('receiving');
    await expect(
      receiveTransfer(r.ports, 'T', { lines: [{ sku: 'X', quantity: 4 }] }, who),
    ).rejects.toMatchObject({
      code: 'TRANSFER_ALREADY_RECEIVED',
    });
    r.state.crashOnSave = false;
    const done = await receiveTransfer(r.ports, 'T', count, who);
    expect(done.variances).toEqual([
      { sku: 'X', shipped: 4, received: 3, variance: -1 },
      { sku: 'Y', shipped: 2, received: 0, variance: -2 },
    ]);
    expect(done.lines).toEqual([
      { sku: 'X', quantity: 4, received: 3 },
      { sku: 'Y', quantity: 2, received: 0 },
    ]);
    // Everything shipped is off inTransit, only what arrived is received, each once.
    expect([
      r.net('transit', 'X'),
      r.net('transit', 'Y'),
      r.net('receive', 'X'),
      r.net('receive', 'Y'),
    ]).toEqual([0, 0, 3, 0]);
  });

  it('computes received − shipped per shipped SKU', () => {
    expect(transferVariances({ lines: [{ sku: 'A', quantity: 5 }] }, [{ sku: 'A', quantity: 7 }])).toEqual([
      { sku: 'A', shipped: 5, received: 7, variance: 2 },
    ]);
  });
});

const line = (poId: string, over: Partial<PoLine>): PoLine => ({
  poId,
  lineNo: 1,
  sku: 'S',
  quantity: 10,
  unitCostMinor: 100,
  received: 0,
  advised: 0,
  locationId: 'W',
  expectedAt: '2026-12-20',
  ...over,
});

describe('arrivalsOf', () => {
  it('lists open PO units and transfers earliest first, with the shortest supplier lead time', async () => {
    const out = await arrivalsOf(
      [
        line('P1', { received: 4 }),
        line('P2', { expectedAt: '2026-12-10', locationId: 'V' }),
        line('P3', { received: 10 }),
      ],
      [
        {
          transferId: 'T',
          sku: 'S',
          fromLocationId: 'U',
          toLocationId: 'W',
          quantity: 3,
          expectedAt: '2026-12-15',
        },
      ],
      async (poId) => ({ P1: 12, P2: 30 })[poId],
    );
    expect(out).toEqual({
      arrivals: [
        { locationId: 'V', expectedAt: '2026-12-10', quantity: 10 },
        { locationId: 'W', expectedAt: '2026-12-15', quantity: 3 },
        { locationId: 'W', expectedAt: '2026-12-20', quantity: 6 },
      ],
      leadTimeDays: 12,
    });
    expect(await arrivalsOf([], [], async () => 5)).toEqual({ arrivals: [] });
  });
});

describe('receiptReport', () => {
  const asn = { asnId: 'A', poId: 'P', totals: [{ sku: 'S', quantity: 10 }] } as Asn;
  const scan = (scanId: string, condition: 'good' | 'damaged'): ScanRecord => ({
    scanId,
    code: 'S',
    sku: 'S',
    quantity: 5,
    condition,
    onAsn: true,
    at: '2026-12-05T10:00:00.000Z',
    actor: 'ann',
  });
  const task = (putAwayAt?: string) =>
    ({ status: putAwayAt ? 'done' : 'open', ...(putAwayAt ? { putAwayAt } : {}) }) as PutawayTask;
  const state = {
    receipt: {
      asnId: 'A',
      poId: 'P',
      locationId: 'W',
      status: 'open' as const,
      firstScanAt: '2026-12-05T10:00:00.000Z',
      version: 3,
    },
    lines: [{ sku: 'S', received: 10, damaged: 5, wrong: 0 }],
  };

  it('reports dock-to-stock only once every good scan is put away: first scan → last putaway', () => {
    const scans = [scan('1', 'good'), scan('2', 'damaged'), scan('3', 'good')];
    const half = receiptReport(asn, state, scans, [task('2026-12-05T10:10:00.000Z'), undefined]);
    expect(half).toMatchObject({ putaway: { tasks: 2, done: 1 }, dockToStockSeconds: null });
    const all = receiptReport(asn, state, scans, [
      task('2026-12-05T10:10:00.000Z'),
      task('2026-12-05T10:20:30.000Z'),
    ]);
    expect(all).toMatchObject({
      status: 'open',
      lines: [{ sku: 'S', expected: 10, received: 10, damaged: 5 }],
      putaway: { tasks: 2, done: 2, lastPutAwayAt: '2026-12-05T10:20:30.000Z' },
      dockToStockSeconds: 1230,
    });
    expect(receiptReport(asn, { lines: [] }, [], [])).toMatchObject({
      status: 'not_started',
      dockToStockSeconds: null,
    });
  });
});
