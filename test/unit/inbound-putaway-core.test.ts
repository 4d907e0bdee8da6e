import { describe, expect, it } from 'vitest';
import type { PutawayBin, PutawayPorts } from '../../functions/inbound/core/ports.ts';
import { confirmPutaway, openPutawayTasks, suggestBin } from '../../functions/inbound/core/putaway.ts';
import type { PutawayTask } from '../../functions/inbound/schemas/putaway.ts';

const bin = (binId: string, walkOrder: number, over: Partial<PutawayBin> = {}): PutawayBin => ({
  binId,
  walkOrder,
  type: 'pick',
  contents: [],
  ...over,
});

describe('suggestBin', () => {
  const bins = [
    bin('RECEIVING', 0, { type: 'receiving' }),
    bin('STAGING', 0, { type: 'staging' }),
    bin('A', 10, { capacity: 10, contents: [{ sku: 'X', quantity: 9 }] }),
    bin('B', 20, { capacity: 10 }),
    bin('C', 30, { capacity: 20, contents: [{ sku: 'S', quantity: 5 }] }),
    bin('D', 40),
  ];

  it('consolidates into a bin holding the SKU before walk order', () => {
    expect(suggestBin(bins, 'S', 5)).toBe('C');
  });
  it('skips a holding bin without room and takes the first storage bin with room in walk order', () => {
    expect(suggestBin(bins, 'S', 16)).toBe('D');
    expect(suggestBin(bins, 'Y', 2)).toBe('B');
    expect(suggestBin(bins, 'X', 2)).toBe('B');
  });
  it("prefers the zone of the SKU's class after consolidation, before walk order elsewhere", () => {
    const zoned = bins.map((b) => (b.binId === 'D' ? { ...b, zone: 'FAST' } : b));
    expect(suggestBin(zoned, 'Y', 2, new Map(), 'FAST')).toBe('D');
    expect(suggestBin(zoned, 'S', 5, new Map(), 'FAST')).toBe('C');
    // No bin of the zone has room: free capacity elsewhere, in walk order.
    expect(suggestBin(zoned, 'Y', 2, new Map(), 'NONE')).toBe('B');
  });
  it('counts what earlier suggestions claim, and never offers RECEIVING or STAGING', () => {
    expect(suggestBin(bins, 'Y', 8, new Map([['B', 3]]))).toBe('C');
    expect(suggestBin(bins.slice(0, 2), 'Y', 1)).toBeUndefined();
  });
});

/** Putaway's ports in memory: one open task of 4 units, bins with capacity, a recorded move. */
function rig() {
  const task: PutawayTask = {
    taskId: 'T1',
    asnId: 'A1',
    scanId: 'S1',
    poId: 'P1',
    locationId: 'WH1',
    sku: 'S',
    quantity: 4,
    status: 'open',
    createdAt: '2026-12-05T10:00:00.000Z',
  };
  const tasks = new Map([[task.taskId, task]]);
  const bins = [
    bin('RECEIVING', 0, { type: 'receiving', contents: [{ sku: 'S', quantity: 4 }] }),
    bin('A', 10, { capacity: 5, barcode: 'LBL-A', contents: [{ sku: 'S', quantity: 2 }] }),
    bin('B', 20, { capacity: 4 }),
  ];
  const moves: { toBinId: string; idempotencyKey: string }[] = [];
  let crashAfterMove = false;
  const published: unknown[] = [];
  /** Bin leases by binId, as the store keeps them: owner and expiry (ms). */
  const leases = new Map<string, { owner: string; expiresAt: number }>();
  const pauses: number[] = [];
  const putInto = new Map<string, Set<string>>();
  let now = new Date('2026-12-05T10:30:00.000Z');
  const ports: PutawayPorts = {
    tasks: {
      create: async () => {},
      task: async (id) => tasks.get(id),
      openAt: async () => [...tasks.values()].filter((t) => t.status === 'open'),
      async claim(id, binId) {
        const t = tasks.get(id);
        if (t?.status !== 'open') return false;
        tasks.set(id, { ...t, binId });
        return true;
      },
      async complete(done) {
        if (tasks.get(done.taskId)?.status !== 'open') return false;
        tasks.set(done.taskId, done);
        return true;
      },
      async leaseBin(_loc, binId, owner, at, ms) {
        const held = leases.get(binId);
        if (held && held.expiresAt >= at.getTime()) return false;
        leases.set(binId, { owner, expiresAt: at.getTime() + ms });
        return true;
      },
      async releaseBin(_loc, binId, owner) {
        if (leases.get(binId)?.owner === owner) leases.delete(binId);
      },
      skusPutInto: async (_loc, binId) => [...(putInto.get(binId) ?? [])],
      async notePutInto(_loc, binId, sku) {
        putInto.set(binId, new Set([...(putInto.get(binId) ?? []), sku]));
      },
    },
    receipts: {
      receipt: async () => ({
        receipt: {
          asnId: 'A1',
          poId: 'P1',
          locationId: 'WH1',
          status: 'open',
          firstScanAt: '2026-12-05T09:00:00.000Z',
          version: 1,
        },
        lines: [],
      }),
    },
    bins: {
      at: async () => bins,
      held: async (_loc, binId, skus) =>
        (bins.find((b) => b.binId === binId)?.contents ?? [])
          .filter((c) => skus.includes(c.sku))
          .reduce((n, c) => n + c.quantity, 0),
      async move(cmd) {
        moves.push(cmd);
        if (crashAfterMove) {
          crashAfterMove = false;
          throw new Error('timed out');
        }
      },
    },
    events: { publish: async (events) => void published.push(...events) },
    clock: () => now,
    pause: async (ms) => void pauses.push(ms),
    zones: async () => new Map(),
  };
  return {
    ports,
    moves,
    published,
    bins,
    leases,
    pauses,
    later: (ms: number) => {
      now = new Date(now.getTime() + ms);
    },
    crash: () => {
      crashAfterMove = true;
    },
  };
}
const who = { actor: 'u1', correlationId: 'c1' };

describe('confirmPutaway', () => {
  it('refuses a bin the units would overflow and moves nothing', async () => {
    const { ports, moves } = rig();
    await expect(confirmPutaway(ports, 'T1', 'LBL-A', who)).rejects.toMatchObject({ code: 'BIN_FULL' });
    await expect(confirmPutaway(ports, 'T1', 'RECEIVING', who)).rejects.toMatchObject({
      code: 'NOT_A_STORAGE_BIN',
    });
    expect(moves).toEqual([]);
    expect((await openPutawayTasks(ports, 'WH1')).items).toEqual([
      { taskId: 'T1', sku: 'S', quantity: 4, suggestedBinId: 'B' },
    ]);
  });

  it('moves once by a key from the task and reports dock-to-stock from the first scan', async () => {
    const { ports, moves, published } = rig();
    const done = await confirmPutaway(ports, 'T1', 'B', who);
    expect(done).toMatchObject({ status: 'done', binId: 'B', dockToStockSeconds: 5400 });
    expect(await confirmPutaway(ports, 'T1', 'A', who)).toEqual(done);
    expect(moves).toEqual([expect.objectContaining({ toBinId: 'B', idempotencyKey: 'putaway:T1' })]);
    expect(published).toHaveLength(2);
    expect((await openPutawayTasks(ports, 'WH1')).items).toEqual([]);
  });

  it('finishes at the same bin after a crash that followed the move, though the units now fill it', async () => {
    const { ports, moves, bins, crash } = rig();
    crash();
    await expect(confirmPutaway(ports, 'T1', 'B', who)).rejects.toThrow('timed out');
    // The move went through: B now holds the task's 4 units, all its capacity.
    bins[2] = { ...(bins[2] as PutawayBin), contents: [{ sku: 'S', quantity: 4 }] };
    expect(await confirmPutaway(ports, 'T1', 'B', who)).toMatchObject({ status: 'done', binId: 'B' });
    expect(moves.map((m) => m.idempotencyKey)).toEqual(['putaway:T1', 'putaway:T1']);
  });

  it('waits for a bin another confirm holds, then answers 409 BIN_BUSY with nothing moved', async () => {
    const { ports, moves, leases, pauses } = rig();
    leases.set('B', { owner: 'other', expiresAt: Date.parse('2026-12-05T10:30:05.000Z') });
    await expect(confirmPutaway(ports, 'T1', 'B', who)).rejects.toMatchObject({
      status: 409,
      code: 'BIN_BUSY',
      details: { taskId: 'T1', binId: 'B' },
    });
    // A few short waits between attempts, then the refusal; the other holder's lease is untouched.
    expect(pauses).toHaveLength(5);
    expect(pauses.every((ms) => ms > 0 && ms < 1_000)).toBe(true);
    expect(moves).toEqual([]);
    expect(leases.get('B')?.owner).toBe('other');
  });

  it("takes over a crashed holder's expired lease and gives its own back after the move", async () => {
    const { ports, moves, leases, later } = rig();
    leases.set('B', { owner: 'crashed', expiresAt: Date.parse('2026-12-05T10:30:05.000Z') });
    later(6_000);
    expect(await confirmPutaway(ports, 'T1', 'B', who)).toMatchObject({ status: 'done', binId: 'B' });
    expect(moves).toHaveLength(1);
    expect(leases.has('B')).toBe(false);
  });

  it('gives the lease back when the bin is full, so the next confirm is not kept waiting', async () => {
    const { ports, leases } = rig();
    await expect(confirmPutaway(ports, 'T1', 'A', who)).rejects.toMatchObject({ code: 'BIN_FULL' });
    expect(leases.size).toBe(0);
  });
});
