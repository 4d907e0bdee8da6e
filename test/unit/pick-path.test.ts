import { describe, expect, it } from 'vitest';
import { type BinStock, buildPickTasks } from '../../functions/fulfillment/core/pick-path.ts';
import type { Fulfillment } from '../../functions/fulfillment/schemas/fulfillment.ts';

function fulfillment(id: string, lines: { sku: string; quantity: number; lineId?: string }[]): Fulfillment {
  return {
    fulfillmentId: id,
    orderId: `o-${id}`,
    channelId: 'web',
    externalId: id,
    locationId: 'EAST',
    reservationId: id,
    serviceLevel: 'standard',
    priority: 1,
    status: 'released',
    lines: lines.map((l, i) => ({
      lineId: l.lineId ?? String(i + 1),
      sku: l.sku,
      quantity: l.quantity,
      picked: 0,
      packed: 0,
      shorted: 0,
    })),
    createdAt: '2026-06-10T09:00:00.000Z',
    updatedAt: '2026-06-10T09:00:00.000Z',
    version: 1,
  };
}

const bin = (binId: string, zone: string, walkOrder: number, quantity: number, type = 'pick'): BinStock => ({
  binId,
  zone,
  walkOrder,
  type,
  quantity,
});

const build = (
  fulfillments: Fulfillment[],
  stock: Record<string, BinStock[]>,
  opts: { committed?: Record<string, number>; barcodes?: Record<string, string[]> } = {},
) =>
  buildPickTasks({
    waveId: 'W1',
    locationId: 'EAST',
    fulfillments,
    binStock: new Map(Object.entries(stock)),
    committed: new Map(Object.entries(opts.committed ?? {})),
    barcodes: new Map(Object.entries(opts.barcodes ?? {})),
  });

/** What an associate walks: task id, bin, sku, units. */
const walk = (tasks: ReturnType<typeof build>['tasks']) =>
  tasks.map((t) => `${t.taskId} ${t.binId} ${t.sku} ${t.quantity}`);

describe('buildPickTasks', () => {
  it('orders tasks by zone, walk order, bin and SKU, numbered in that order', () => {
    const { tasks, unplaced } = build(
      [
        fulfillment('f1', [
          { sku: 'MUG', quantity: 1 },
          { sku: 'LAMP', quantity: 1 },
          { sku: 'RUG', quantity: 1 },
        ]),
      ],
      {
        LAMP: [bin('B-07', 'B', 7, 5)],
        MUG: [bin('A-10', 'A', 10, 5)],
        RUG: [bin('A-02', 'A', 2, 5)],
      },
      { barcodes: { MUG: ['0001234', 'MUG'] } },
    );
    expect(unplaced).toEqual([]);
    expect(walk(tasks)).toEqual(['W1.1 A-02 RUG 1', 'W1.2 A-10 MUG 1', 'W1.3 B-07 LAMP 1']);
    expect(tasks[1]).toMatchObject({
      waveId: 'W1',
      locationId: 'EAST',
      binCode: 'A-10',
      zone: 'A',
      walkOrder: 10,
      barcodes: ['0001234', 'MUG'],
      pickedQuantity: 0,
      status: 'open',
    });
  });

  it('batches every order’s units of a SKU in one bin into one task', () => {
    const { tasks } = build(
      [
        fulfillment('f1', [{ sku: 'LAMP', quantity: 2, lineId: 'a' }]),
        fulfillment('f2', [{ sku: 'LAMP', quantity: 3, lineId: 'b' }]),
      ],
      { LAMP: [{ ...bin('A-01', 'A', 1, 10), barcode: 'BIN-0001' }] },
    );
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({
      taskId: 'W1.1',
      binCode: 'BIN-0001',
      quantity: 5,
      barcodes: ['LAMP'],
      allocations: [
        { fulfillmentId: 'f1', lineId: 'a', quantity: 2, picked: 0 },
        { fulfillmentId: 'f2', lineId: 'b', quantity: 3, picked: 0 },
      ],
    });
  });

  it('uses the fewest bins, and splits an order across bins only when it must', () => {
    // 6 units: the 8-unit bin alone covers them (not the two small bins earlier in the walk).
    const one = build([fulfillment('f1', [{ sku: 'LAMP', quantity: 6 }])], {
      LAMP: [bin('A-01', 'A', 1, 3), bin('A-02', 'A', 2, 3), bin('A-09', 'A', 9, 8)],
    });
    expect(walk(one.tasks)).toEqual(['W1.1 A-09 LAMP 6']);

    // 10 units: the fullest bin, then the first bin that covers the rest, in walk order.
    const two = build(
      [fulfillment('f1', [{ sku: 'LAMP', quantity: 4 }]), fulfillment('f2', [{ sku: 'LAMP', quantity: 6 }])],
      {
        LAMP: [bin('A-01', 'A', 1, 3), bin('A-02', 'A', 2, 3), bin('A-09', 'A', 9, 8)],
      },
    );
    expect(walk(two.tasks)).toEqual(['W1.1 A-01 LAMP 2', 'W1.2 A-09 LAMP 8']);
    expect(two.tasks[0]?.allocations).toEqual([{ fulfillmentId: 'f2', lineId: '1', quantity: 2, picked: 0 }]);
    expect(two.tasks[1]?.allocations).toEqual([
      { fulfillmentId: 'f1', lineId: '1', quantity: 4, picked: 0 },
      { fulfillmentId: 'f2', lineId: '1', quantity: 4, picked: 0 },
    ]);
  });

  it('does not offer units already committed to open tasks', () => {
    const { tasks } = build(
      [fulfillment('f1', [{ sku: 'LAMP', quantity: 3 }])],
      { LAMP: [bin('A-01', 'A', 1, 4), bin('A-05', 'A', 5, 3)] },
      { committed: { 'A-01#LAMP': 2 } },
    );
    expect(walk(tasks)).toEqual(['W1.1 A-05 LAMP 3']);
  });

  it('takes pick bins before bulk, and bulk for what pick faces cannot give', () => {
    const { tasks } = build([fulfillment('f1', [{ sku: 'LAMP', quantity: 5 }])], {
      LAMP: [
        bin('Z-01', 'Z', 1, 50, 'bulk'),
        bin('B-04', 'B', 4, 3),
        bin('RECEIVING', '', 0, 20, 'receiving'),
      ],
    });
    expect(walk(tasks)).toEqual(['W1.1 B-04 LAMP 3', 'W1.2 Z-01 LAMP 2']);
  });

  it('picks from RECEIVING only as a last resort, and never from STAGING', () => {
    const { tasks, unplaced } = build([fulfillment('f1', [{ sku: 'LAMP', quantity: 4 }])], {
      LAMP: [
        bin('STAGING', '', 0, 10, 'staging'),
        bin('RECEIVING', '', 0, 3, 'receiving'),
        bin('A-01', 'A', 1, 1),
      ],
    });
    expect(unplaced).toEqual([]);
    expect(walk(tasks)).toEqual(['W1.1 RECEIVING LAMP 3', 'W1.2 A-01 LAMP 1']);
  });

  it('leaves out a fulfillment whose units no bin holds, keeping the stock for the next ones', () => {
    const { tasks, unplaced } = build(
      [
        fulfillment('big', [
          { sku: 'LAMP', quantity: 1 },
          { sku: 'RUG', quantity: 5 },
        ]),
        fulfillment('small', [{ sku: 'RUG', quantity: 2 }]),
      ],
      { LAMP: [bin('A-01', 'A', 1, 1)], RUG: [bin('A-02', 'A', 2, 3), bin('STAGING', '', 0, 9, 'staging')] },
    );
    expect(unplaced).toEqual([{ fulfillmentId: 'big', sku: 'RUG', quantity: 2 }]);
    expect(walk(tasks)).toEqual(['W1.1 A-02 RUG 2']);
    expect(tasks[0]?.allocations.map((a) => a.fulfillmentId)).toEqual(['small']);
  });
});
