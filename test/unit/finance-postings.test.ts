import { describe, expect, it } from 'vitest';
import { DEFAULT_CHART } from '../../functions/finance/core/accounts.ts';
import type { CostPosition } from '../../functions/finance/core/costing.ts';
import type {
  EntryCommit,
  FinancePorts,
  FinanceStore,
  RefundRequest,
  ReturnFact,
} from '../../functions/finance/core/ports.ts';
import { POSITIONS_PER_ENTRY, postEvent } from '../../functions/finance/core/posting-service.ts';
import type { JournalEntry, OrderPrices } from '../../functions/finance/core/postings.ts';

/** Finance's store in memory, with the commit's all-or-nothing conditions. */
function memoryPorts(closed: string[] = []) {
  const entries = new Map<string, JournalEntry>();
  const positions = new Map<string, CostPosition>();
  const prices = new Map<string, OrderPrices>();
  const facts = new Map<string, ReturnFact>();
  const refunds = new Map<string, RefundRequest>();
  const key = (sku: string, loc: string) => `${sku}|${loc}`;
  const unused = () => {
    throw new Error('not used here');
  };
  const store: FinanceStore = {
    chart: async () => ({ chart: DEFAULT_CHART, baseCurrency: 'USD' }),
    putChart: unused,
    entry: async (id) => entries.get(id) as (JournalEntry & Record<string, unknown>) | undefined,
    positions: async (keys) =>
      keys.flatMap((k) => positions.get(key(k.sku, k.locationId)) ?? []).map((p) => ({ ...p })),
    positionsOf: unused,
    async commit(c: EntryCommit) {
      if (entries.has(c.entry.entryId) || closed.includes(c.entry.period)) return false;
      if (c.positions.some((p) => (positions.get(key(p.sku, p.locationId))?.version ?? 0) !== p.version))
        return false;
      entries.set(c.entry.entryId, c.entry);
      for (const p of c.positions) positions.set(key(p.sku, p.locationId), { ...p, version: p.version + 1 });
      return true;
    },
    receiptLines: async () => [],
    orderPrices: async (id) => prices.get(id),
    putOrderPrices: async (p) => {
      prices.set(p.orderId, p);
    },
    ordersOfDay: unused,
    putReturnFact: async (f) => {
      facts.set(f.returnId, f);
    },
    returnFact: async (id) => facts.get(id),
    putRefundRequest: async (r) => {
      refunds.set(`${r.returnId}|${r.attempt}`, r);
    },
    refundRequest: async (id, attempt) => refunds.get(`${id}|${attempt}`),
    closedPeriod: async (p) =>
      closed.includes(p) ? { period: p, status: 'closed', closedAt: '', closedBy: '' } : undefined,
    closedPeriods: unused,
    closePeriod: unused,
    entriesOfPeriod: unused,
    entriesOfDay: unused,
  };
  const ports: FinancePorts = {
    store,
    kits: async () => new Map(),
    clock: () => new Date('2026-12-05T10:00:00Z'),
  };
  return { ports, entries, positions };
}

const at = '2026-12-05T09:00:00.000Z';
const received = (sku: string, quantity: number, unitCostMinor: number) => ({
  eventId: `gr-${sku}`,
  detailType: 'GoodsReceived',
  occurredAt: at,
  data: {
    asnId: 'ASN-1',
    poId: 'PO-1',
    scanId: `s-${sku}`,
    locationId: 'WH',
    sku,
    quantity,
    condition: 'good',
    currency: 'USD',
    unitCostMinor,
    receivedAt: at,
  },
});

describe('postEvent', () => {
  it('posts a redelivered event once', async () => {
    const { ports, entries, positions } = memoryPorts();
    await postEvent(ports, received('A', 10, 150));
    await postEvent(ports, received('A', 10, 150));
    expect(entries.size).toBe(1);
    expect(positions.get('A|WH')).toMatchObject({ quantity: 10, value: 1500, version: 1 });
  });

  it('splits a shipment of many SKUs into entries each within a transaction, revenue once per line', async () => {
    const { ports, entries } = memoryPorts();
    const skus = Array.from({ length: POSITIONS_PER_ENTRY + 5 }, (_, i) => `S${i}`);
    for (const sku of skus) await postEvent(ports, received(sku, 2, 100));
    await postEvent(ports, {
      eventId: 'o-1',
      detailType: 'OrderReceived',
      occurredAt: at,
      data: {
        orderId: 'O-1',
        channelId: 'web',
        externalId: 'O-1',
        lines: skus.map((sku, i) => ({ lineId: String(i), sku, quantity: 1, unitPrice: 500 })),
        currency: 'USD',
        shipTo: null,
        paymentStatus: 'paid',
        placedAt: at,
        serviceLevel: 'standard',
      },
    });
    await postEvent(ports, {
      eventId: 'ship-1',
      detailType: 'ShipmentConfirmed',
      occurredAt: at,
      data: {
        shipmentId: 'SH-1',
        fulfillmentId: 'F-1',
        orderId: 'O-1',
        channelId: 'web',
        externalId: 'O-1',
        locationId: 'WH',
        reservationId: 'R-1',
        lines: skus.map((sku, i) => ({ lineId: String(i), sku, quantity: 1 })),
        carrier: 'ups',
        service: 'ground',
        trackingNumber: 'T',
        packages: 1,
        shippedAt: at,
      },
    });
    const shipment = [...entries.values()].filter((e) => e.sourceType === 'ShipmentConfirmed');
    expect(shipment.map((e) => e.entryId)).toEqual(['ship-1:1', 'ship-1:2']);
    const lines = shipment.flatMap((e) => e.lines);
    expect(lines.filter((l) => l.account === '4000')).toHaveLength(skus.length);
    expect(lines.filter((l) => l.account === '5000').reduce((s, l) => s + l.debit, 0)).toBe(
      100 * skus.length,
    );
    for (const e of shipment) {
      expect(e.lines.reduce((s, l) => s + l.debit - l.credit, 0)).toBe(0);
    }
  });

  it('ignores in-transit adjustments and posts a late event to the next open period', async () => {
    const { ports, entries } = memoryPorts(['2026-11']);
    await postEvent(ports, received('A', 4, 100));
    await postEvent(ports, {
      eventId: 'adj-transit',
      detailType: 'StockAdjusted',
      occurredAt: at,
      data: {
        movementId: 'm1',
        sku: 'A',
        locationId: 'WH',
        bucket: 'inTransit',
        delta: -2,
        reason: 'x',
        actor: 'a',
        onHand: 4,
        available: 4,
      },
    });
    await postEvent(ports, {
      eventId: 'adj-late',
      detailType: 'StockAdjusted',
      occurredAt: '2026-11-30T23:00:00.000Z',
      data: {
        movementId: 'm2',
        sku: 'A',
        locationId: 'WH',
        delta: -1,
        reason: 'x',
        actor: 'a',
        onHand: 3,
        available: 3,
      },
    });
    expect(entries.has('adj-transit')).toBe(false);
    expect(entries.get('adj-late')).toMatchObject({ period: '2026-12', lateFor: '2026-11' });
    expect(entries.get('adj-late')?.lines.map((l) => [l.account, l.debit, l.credit])).toEqual([
      ['5100', 100, 0],
      ['1300', 0, 100],
    ]);
  });

  it('posts a return: units back at the average (COGS reversed), a write-off, the refund split by SKU', async () => {
    const { ports, entries, positions } = memoryPorts();
    await postEvent(ports, received('A', 4, 250));
    const ret = { returnId: 'RMA-1', orderId: 'O-1', channelId: 'web' };
    await postEvent(ports, {
      eventId: 'rr-1',
      detailType: 'ReturnReceived',
      occurredAt: at,
      data: {
        ...ret,
        locationId: 'WH',
        lines: [
          { sku: 'A', quantity: 3 },
          { sku: 'B', quantity: 1 },
        ],
        unexpected: [],
        receivedAt: at,
      },
    });
    // Nothing valued while the units wait for inspection; their returnedPending write-off is the return's.
    expect(entries.get('rr-1')?.lines).toEqual([]);
    await postEvent(ports, {
      eventId: 'adj-returned',
      detailType: 'StockAdjusted',
      occurredAt: at,
      data: {
        movementId: 'm3',
        sku: 'A',
        locationId: 'WH',
        bucket: 'returnedPending',
        delta: -1,
        reason: 'return RMA-1 inspected: write_off',
        actor: 'a',
        onHand: 6,
        available: 4,
      },
    });
    expect(entries.has('adj-returned')).toBe(false);
    const dispositioned = {
      eventId: 'rd-1',
      detailType: 'ReturnDispositioned',
      occurredAt: at,
      data: {
        returnId: 'RMA-1',
        orderId: 'O-1',
        inspectionId: 'I-1',
        locationId: 'WH',
        lines: [
          { sku: 'A', quantity: 2, disposition: 'restock' },
          { sku: 'A', quantity: 1, disposition: 'write_off' },
        ],
        complete: true,
        at,
      },
    };
    await postEvent(ports, dispositioned);
    await postEvent(ports, dispositioned);
    const lines = (id: string) =>
      entries.get(id)?.lines.map((l) => [l.account, l.debit, l.credit, l.reference, l.sku, l.channelId]);
    expect(lines('rd-1')).toEqual([
      ['1300', 500, 0, 'RMA-1', 'A', 'web'],
      ['5000', 0, 500, 'RMA-1', 'A', 'web'],
      ['5100', 250, 0, 'RMA-1', 'A', 'web'],
      ['5000', 0, 250, 'RMA-1', 'A', 'web'],
    ]);
    expect(positions.get('A|WH')).toMatchObject({ quantity: 6, value: 1500 });

    await postEvent(ports, {
      eventId: 'rq-1',
      detailType: 'RefundRequested',
      occurredAt: at,
      data: {
        ...ret,
        externalId: 'O-1',
        attempt: 1,
        amount: 1000,
        currency: 'USD',
        lines: [
          { sku: 'A', quantity: 3, amount: 700 },
          { sku: 'B', quantity: 1, amount: 300 },
        ],
        requestedAt: at,
      },
    });
    // The channel refunded less than asked: the parts still add up to what it paid out.
    await postEvent(ports, {
      eventId: 'ri-1',
      detailType: 'RefundIssued',
      occurredAt: at,
      data: { ...ret, attempt: 1, amount: 999, currency: 'USD', issuedAt: at },
    });
    expect(lines('ri-1')).toEqual([
      ['4200', 699, 0, 'RMA-1', 'A', 'web'],
      ['1200', 0, 699, 'RMA-1', 'A', 'web'],
      ['4200', 300, 0, 'RMA-1', 'B', 'web'],
      ['1200', 0, 300, 'RMA-1', 'B', 'web'],
    ]);
    expect(entries.get('ri-1')?.lines.every((l) => l.locationId === 'WH')).toBe(true);
  });
});
