import { describe, expect, it } from 'vitest';
import {
  applyInspection,
  DEFAULT_SETTINGS,
  heldUnits,
  judgeRequest,
  phaseReached,
  refundLines,
  sortReceipt,
  unitPrices,
} from '../../functions/returns/core/rules.ts';
import type { ReturnLine } from '../../functions/returns/schemas/returns.ts';

const order = {
  channelId: 'shop',
  lines: [
    { sku: 'TEE', quantity: 2, unitPrice: 1000, discount: 300 },
    { sku: 'TEE', quantity: 1, unitPrice: 1000, discount: 0 },
    { sku: 'CAP', quantity: 1, unitPrice: 2500, discount: 0 },
    { sku: 'GIFT', quantity: 1, unitPrice: null, discount: 0 },
  ],
};
const shippedAt = '2026-11-01T12:00:00.000Z';
const shipped = [
  { shippedAt, lines: [{ sku: 'TEE', quantity: 3 }] },
  { shippedAt: '2026-11-03T12:00:00.000Z', lines: [{ sku: 'CAP', quantity: 1 }] },
];
const facts = (over: Partial<Parameters<typeof judgeRequest>[1]> = {}) => ({
  order,
  shipped,
  alreadyReturned: {},
  settings: DEFAULT_SETTINGS,
  now: new Date('2026-11-10T00:00:00.000Z'),
  roles: ['customer-service' as const],
  ...over,
});
const line = (sku: string, quantity: number, reason = 'defective') => ({ sku, quantity, reason });

describe('a return request', () => {
  it('prices units net of their lines’ discounts, rounded down, and unpriced lines at 0', () => {
    expect(unitPrices(order)).toEqual(
      new Map([
        ['TEE', 900],
        ['CAP', 2500],
        ['GIFT', 0],
      ]),
    );
  });

  it('never takes more than shipped minus what other returns already hold', () => {
    expect(() => judgeRequest({ lines: [line('TEE', 2)] }, facts({ alreadyReturned: { TEE: 2 } }))).toThrow(
      expect.objectContaining({
        code: 'EXCEEDS_SHIPPED',
        details: { lines: [{ sku: 'TEE', requested: 2, shipped: 3, alreadyReturned: 2, returnable: 1 }] },
      }),
    );
    expect(() => judgeRequest({ lines: [line('MUG', 1)] }, facts())).toThrow(
      expect.objectContaining({ code: 'EXCEEDS_SHIPPED' }),
    );
    expect(judgeRequest({ lines: [line('TEE', 1)] }, facts({ alreadyReturned: { TEE: 2 } })).status).toBe(
      'approved',
    );
  });

  it('takes only configured reason codes', () => {
    expect(() => judgeRequest({ lines: [line('TEE', 1, 'bored')] }, facts())).toThrow(
      expect.objectContaining({ code: 'UNKNOWN_REASON_CODE', status: 422 }),
    );
  });

  it('waits for a supervisor outside the channel’s window (from the last shipment) or above the threshold', () => {
    const late = facts({ now: new Date('2026-12-03T12:00:01.000Z') });
    expect(judgeRequest({ lines: [line('TEE', 1)] }, late)).toMatchObject({
      status: 'pending_approval',
      outsideWindow: true,
    });
    // 30 days after the last shipment (CAP, 3 Nov) to the millisecond is still inside.
    expect(
      judgeRequest({ lines: [line('TEE', 1)] }, facts({ now: new Date('2026-12-03T12:00:00.000Z') })).status,
    ).toBe('approved');
    const shortWindow = { ...DEFAULT_SETTINGS, channelWindowDays: { shop: 5 } };
    expect(judgeRequest({ lines: [line('TEE', 1)] }, facts({ settings: shortWindow })).outsideWindow).toBe(
      true,
    );
    const low = { ...DEFAULT_SETTINGS, approvalThreshold: 3000 };
    expect(judgeRequest({ lines: [line('TEE', 1), line('CAP', 1)] }, facts({ settings: low }))).toMatchObject(
      {
        status: 'pending_approval',
        overThreshold: true,
        value: 3400,
      },
    );
    expect(judgeRequest({ lines: [line('CAP', 1)] }, facts({ settings: low })).status).toBe('approved');
    expect(judgeRequest({ lines: [line('TEE', 1)] }, { ...late, roles: ['supervisor'] }).status).toBe(
      'approved',
    );
  });

  it('stays requested within policy when approvals are not automatic', () => {
    const manual = { ...DEFAULT_SETTINGS, autoApprove: false };
    expect(judgeRequest({ lines: [line('TEE', 1)] }, facts({ settings: manual })).status).toBe('requested');
  });

  it('holds its units against the order until rejected', () => {
    const lines = [{ sku: 'TEE', quantity: 2, unitPrice: 900, received: 0, dispositions: {} }];
    expect(heldUnits({ lines, status: 'approved' })).toEqual({ TEE: 2 });
    expect(heldUnits({ lines, status: 'rejected' })).toEqual({});
  });
});

describe('receipt, inspection and refund', () => {
  it('sorts a parcel into authorised units and unexpected ones', () => {
    expect(
      sortReceipt(
        [
          { sku: 'TEE', quantity: 2 },
          { sku: 'CAP', quantity: 1 },
        ],
        [
          { sku: 'TEE', quantity: 3 },
          { sku: 'MUG', quantity: 1 },
        ],
      ),
    ).toEqual({
      expected: new Map([['TEE', 2]]),
      unexpected: [
        { sku: 'TEE', quantity: 1 },
        { sku: 'MUG', quantity: 1 },
      ],
    });
  });

  const received: ReturnLine[] = [
    { sku: 'TEE', quantity: 3, unitPrice: 900, received: 2, dispositions: {} },
    { sku: 'MUG', quantity: 0, unitPrice: 0, received: 1, dispositions: {} },
  ];

  it('decides each received unit once and knows when all are decided', () => {
    const first = applyInspection(received, [{ sku: 'TEE', quantity: 1, disposition: 'restock' }]);
    expect(first.complete).toBe(false);
    expect(() => applyInspection(first.lines, [{ sku: 'TEE', quantity: 2, disposition: 'damaged' }])).toThrow(
      expect.objectContaining({
        code: 'EXCEEDS_RECEIVED',
        details: { lines: [{ sku: 'TEE', requested: 2, left: 1 }] },
      }),
    );
    const last = applyInspection(first.lines, [
      { sku: 'TEE', quantity: 1, disposition: 'write_off' },
      { sku: 'MUG', quantity: 1, disposition: 'quarantine' },
    ]);
    expect(last.complete).toBe(true);
    expect(last.lines.map((l) => l.dispositions)).toEqual([{ restock: 1, write_off: 1 }, { quarantine: 1 }]);
    // The input is left as it was (a refused or lost write changes nothing).
    expect(received[0]?.dispositions).toEqual({});
  });

  it('refunds authorised units that came back, at their net price, and nothing for unexpected ones', () => {
    expect(refundLines(received)).toEqual([{ sku: 'TEE', quantity: 2, amount: 1800 }]);
  });

  it('refunds nothing for the units an exchange replaces', () => {
    expect(refundLines(received, { lines: [{ quantity: 1 }] })).toEqual([
      { sku: 'TEE', quantity: 1, amount: 900 },
    ]);
    expect(refundLines(received, { lines: [{ quantity: 5 }] })).toEqual([]);
  });

  it('knows which workflow phase a return has reached', () => {
    const refund = { status: 'requested' as const, amount: 0, currency: 'USD', attempt: 1 };
    expect(phaseReached({ status: 'approved', refund }, 'received')).toBe(false);
    expect(phaseReached({ status: 'received', refund }, 'received')).toBe(true);
    expect(phaseReached({ status: 'received', refund }, 'inspected')).toBe(false);
    expect(phaseReached({ status: 'inspected', refund }, 'refunded')).toBe(false);
    expect(phaseReached({ status: 'inspected', refund: { ...refund, status: 'issued' } }, 'refunded')).toBe(
      true,
    );
  });
});
