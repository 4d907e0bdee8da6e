import { describe, expect, it } from 'vitest';
import type { InboundStore, ReceivingPorts, ReceivingStore } from '../../functions/inbound/core/ports.ts';
import { closeReceipt, receiptExceptions, scanReceipt } from '../../functions/inbound/core/receiving.ts';
import type { Asn, PoLine, PurchaseOrder } from '../../functions/inbound/schemas/inbound.ts';
import type { PutawayTask } from '../../functions/inbound/schemas/putaway.ts';
import type { ReceiptLine, ScanRecord } from '../../functions/inbound/schemas/receiving.ts';
import { receivableMax } from '../../functions/inbound/schemas/receiving.ts';

const asn = (totals: { sku: string; quantity: number }[]): Asn => ({
  asnId: 'A1',
  poId: 'P1',
  cartons: [],
  lines: totals,
  totals,
  fingerprint: 'f',
  createdAt: '2026-12-05T00:00:00.000Z',
  createdBy: 'test',
});

describe('receiving rules', () => {
  it('allows 5 % over the expected units, rounded down', () => {
    expect(receivableMax(100)).toBe(105);
    expect(receivableMax(10)).toBe(10);
    expect(receivableMax(20)).toBe(21);
  });

  it('lists over, short and damaged per ASN SKU, then wrong SKUs', () => {
    const lines: ReceiptLine[] = [
      { sku: 'B', received: 12, damaged: 1, wrong: 0 },
      { sku: 'A', received: 3, damaged: 0, wrong: 0 },
      { sku: 'Z', received: 0, damaged: 0, wrong: 2 },
    ];
    expect(
      receiptExceptions(
        asn([
          { sku: 'A', quantity: 5 },
          { sku: 'B', quantity: 10 },
          { sku: 'C', quantity: 1 },
        ]),
        lines,
      ),
    ).toEqual([
      { type: 'short', sku: 'A', quantity: 2 },
      { type: 'over', sku: 'B', quantity: 2 },
      { type: 'short', sku: 'C', quantity: 1 },
      { type: 'damaged', sku: 'B', quantity: 1 },
      { type: 'wrong_sku', sku: 'Z', quantity: 2 },
    ]);
  });
});

/** Receiving's ports in memory; inventory's receive fails once after `fail()`. */
function rig() {
  const po = {
    poId: 'P1',
    locationId: 'WH1',
    currency: 'USD',
    status: 'open',
    version: 1,
  } as PurchaseOrder;
  const poLines = [{ poId: 'P1', sku: 'A', quantity: 10, received: 0, unitCostMinor: 100 } as PoLine];
  const scans = new Map<string, ScanRecord>();
  const counts = new Map<string, ReceiptLine>();
  const receipts: ReceivingStore = {
    async receipt() {
      return { lines: [...counts.values()] };
    },
    async scan(_asnId, scanId) {
      return scans.get(scanId);
    },
    async recordScan({ scan }) {
      if (scans.has(scan.scanId)) return false;
      scans.set(scan.scanId, scan);
      const line = counts.get(scan.sku) ?? { sku: scan.sku, received: 0, damaged: 0, wrong: 0 };
      counts.set(scan.sku, { ...line, received: line.received + scan.quantity });
      return true;
    },
    async unstockedScans() {
      return [...scans.values()].filter((scan) => scan.onAsn && !scan.stockedAt);
    },
    async markStocked(_asnId, scanId, at) {
      const scan = scans.get(scanId);
      if (scan) scans.set(scanId, { ...scan, stockedAt: at });
    },
    close: async () => true,
  };
  const keys: string[] = [];
  const tasks: PutawayTask[] = [];
  let failNext = false;
  const ports: ReceivingPorts = {
    store: {
      getAsn: async () => asn([{ sku: 'A', quantity: 10 }]),
      purchaseOrder: async () => ({ po, lines: poLines }),
    } as unknown as InboundStore,
    receipts,
    barcodes: async () => new Map(),
    inventory: {
      async receive(cmd) {
        keys.push(cmd.idempotencyKey);
        if (failNext) {
          failNext = false;
          throw new Error('timed out');
        }
      },
    },
    putaway: {
      async create(task) {
        if (!tasks.some((t) => t.taskId === task.taskId)) tasks.push(task);
      },
    },
    events: { publish: async () => {} },
    clock: () => new Date('2026-12-05T10:00:00.000Z'),
  };
  return {
    ports,
    keys,
    tasks,
    fail: () => {
      failNext = true;
    },
  };
}

describe('a scan that died before its stock moved', () => {
  it('is completed by its retry and counted once, with the same inventory key', async () => {
    const { ports, keys, fail } = rig();
    fail();
    const who = { actor: 'a', correlationId: 'c' };
    const body = { code: 'A', quantity: 4, scanId: 'S1' };
    await expect(scanReceipt(ports, 'A1', body, who)).rejects.toThrow('timed out');
    const retried = await scanReceipt(ports, 'A1', body, who);
    expect(retried).toEqual({ lines: [{ sku: 'A', expected: 10, received: 4 }] });
    expect(keys).toHaveLength(2);
    expect(keys[1]).toBe(keys[0]);
    // Stocked now: closing does not receive its units again.
    await closeReceipt(ports, 'A1', who);
    expect(keys).toHaveLength(2);
  });

  it('whose caller never retried is finished by the close, with the same inventory key', async () => {
    const { ports, keys, tasks, fail } = rig();
    fail();
    const who = { actor: 'a', correlationId: 'c' };
    await expect(scanReceipt(ports, 'A1', { code: 'A', quantity: 4, scanId: 'S1' }, who)).rejects.toThrow(
      'timed out',
    );
    expect(tasks).toEqual([]);
    await closeReceipt(ports, 'A1', who);
    expect(keys).toHaveLength(2);
    expect(keys[1]).toBe(keys[0]);
    // The close also leaves the scan's putaway task (the same id a retried scan would make).
    expect(tasks).toEqual([expect.objectContaining({ sku: 'A', quantity: 4, scanId: 'S1', status: 'open' })]);
    await closeReceipt(ports, 'A1', who);
    expect(keys).toHaveLength(2);
  });
});
