import { describe, expect, it } from 'vitest';
import { refundLineItems } from '../../functions/connectors/adapters/shopify-refund.ts';
import { wooRefundLines } from '../../functions/connectors/adapters/woocommerce-refund.ts';
import { decimalOf, refundMarker } from '../../functions/connectors/core/post-refund.ts';
import {
  normalizeShopifyReturn,
  wooOrderRefundDrafts,
} from '../../functions/orders/intake/core/normalize/channel-returns.ts';
import { mapReturnLines } from '../../functions/orders/intake/core/receive-return.ts';
import { channelReturnIdOf, matchRefund, reasonCodeFor } from '../../functions/returns/core/channel.ts';
import type { ReturnRecord } from '../../functions/returns/schemas/returns.ts';

describe('channel return payloads', () => {
  it('reads a Shopify returns/request by the order line each return line points at', () => {
    const draft = normalizeShopifyReturn(
      'returns/request',
      JSON.stringify({
        id: 41,
        order: { id: 9001 },
        created_at: '2026-11-20T09:14:02-05:00',
        return_line_items: [
          { quantity: 2, return_reason: 'SIZE_TOO_SMALL', fulfillment_line_item: { line_item: { id: 77 } } },
          { quantity: 1, return_reason: null, line_item_id: 78 },
        ],
      }),
      '2026-11-21T00:00:00Z',
    );
    expect(draft).toEqual({
      kind: 'return',
      externalId: '9001',
      channelReturnId: '41',
      lines: [
        { lineId: '77', quantity: 2, reason: 'SIZE_TOO_SMALL' },
        { lineId: '78', quantity: 1 },
      ],
      requestedAt: '2026-11-20T09:14:02-05:00',
    });
  });

  it('sums a Shopify refund’s successful refund transactions and drops zero-unit lines', () => {
    const draft = normalizeShopifyReturn(
      'refunds/create',
      JSON.stringify({
        id: 5,
        order_id: 9001,
        note: 'Return R1 [qm:R1#1]',
        refund_line_items: [
          { quantity: 1, line_item_id: 77, line_item: { sku: 'TEE' } },
          { quantity: 0, line_item_id: 78 },
        ],
        transactions: [
          { kind: 'refund', status: 'success', amount: '12.50', currency: 'usd' },
          { kind: 'refund', status: 'failure', amount: '99.00', currency: 'USD' },
          { kind: 'sale', status: 'success', amount: '40.00', currency: 'USD' },
        ],
      }),
      '2026-11-21T00:00:00Z',
    );
    expect(draft).toMatchObject({
      kind: 'refund',
      channelRefundId: '5',
      amount: 1250,
      currency: 'USD',
      note: 'Return R1 [qm:R1#1]',
      lines: [{ lineId: '77', sku: 'TEE', quantity: 1 }],
    });
  });

  it('takes WooCommerce refunds from an order payload, summary or full shape', () => {
    const drafts = wooOrderRefundDrafts(
      JSON.stringify({
        id: 8803,
        currency: 'EUR',
        refunds: [
          { id: 1, reason: 'Damaged', total: '-5.00' },
          {
            id: 2,
            amount: '10.00',
            line_items: [
              { sku: 'TEE', quantity: -1, meta_data: [{ key: '_refunded_item_id', value: '51' }] },
            ],
          },
        ],
      }),
      '2026-11-21T00:00:00Z',
    );
    expect(drafts.map((d) => [d.channelRefundId, d.amount, d.lines])).toEqual([
      ['1', 500, []],
      ['2', 1000, [{ lineId: '51', sku: 'TEE', quantity: 1 }]],
    ]);
    expect(wooOrderRefundDrafts('{"not":"an order"}', '2026-11-21T00:00:00Z')).toEqual([]);
  });

  it('maps channel lines to our SKUs by line id, then SKU; an unknown line is refused', () => {
    const order = {
      lines: [
        { lineId: '77', sku: 'TEE' },
        { lineId: '78', sku: 'CAP' },
      ],
    } as never;
    expect(
      mapReturnLines(order, [
        { lineId: '77', quantity: 1, reason: 'DEFECTIVE' },
        { sku: 'TEE', quantity: 1 },
        { lineId: '78', quantity: 1 },
      ]),
    ).toEqual([
      { sku: 'TEE', quantity: 2, reason: 'DEFECTIVE' },
      { sku: 'CAP', quantity: 1 },
    ]);
    expect(() => mapReturnLines(order, [{ lineId: '99', quantity: 1 }])).toThrow(/99/);
  });
});

describe('channel returns in the returns context', () => {
  const settings = { reasonCodes: ['defective', 'size_or_fit', 'other'] };
  it('maps a channel reason to a configured code, else other, else the first code', () => {
    expect(reasonCodeFor('SIZE_TOO_LARGE', settings)).toBe('size_or_fit');
    expect(reasonCodeFor('defective', settings)).toBe('defective');
    expect(reasonCodeFor('UNWANTED', settings)).toBe('other');
    expect(reasonCodeFor(undefined, { reasonCodes: ['damaged'] })).toBe('damaged');
  });

  it('names a channel return readably when it fits an id, else by a hash', () => {
    expect(channelReturnIdOf('shop', 'return', '31')).toBe('shop:return-31');
    expect(channelReturnIdOf('shop', 'refund', 'gid://shopify/Refund/1')).toMatch(/^ch:[0-9a-f]{40}$/);
  });

  const ret = (returnId: string, refund: Partial<ReturnRecord['refund']>) =>
    ({
      returnId,
      status: 'inspected',
      refund: { status: 'requested', amount: 1000, currency: 'USD', attempt: 1, ...refund },
    }) as ReturnRecord;
  it('matches a channel refund: known by reference, by our marker, else the one open refund of its amount', () => {
    const a = ret('A', { status: 'issued', reference: 'gid://shopify/Refund/7' });
    const b = ret('B', {});
    const c = ret('C', { amount: 2000, status: 'failed' });
    expect(matchRefund([a, b, c], { channelRefundId: '7', amount: 1000 })).toEqual({ known: a });
    expect(matchRefund([a, b, c], { channelRefundId: '8', amount: 5, note: 'Return C [qm:C#2]' })).toEqual({
      target: c,
    });
    expect(matchRefund([a, b, c], { channelRefundId: '8', amount: 2000 })).toEqual({ target: c });
    expect(matchRefund([b, ret('D', {})], { channelRefundId: '8', amount: 1000 })).toBeUndefined();
  });
});

describe('refunds posted to channels', () => {
  it('writes minor units in the currency’s digits', () => {
    expect(decimalOf(5500, 'USD')).toBe('55.00');
    expect(decimalOf(5, 'EUR')).toBe('0.05');
    expect(decimalOf(1200, 'JPY')).toBe('1200');
    expect(decimalOf(1234, null)).toBe('12.34');
    expect(refundMarker({ returnId: 'R1', attempt: 2 })).toBe('[qm:R1#2]');
  });

  it('spreads refunded units over the channel’s lines of each SKU, amounts summing to the line', () => {
    const lines = [{ sku: 'TEE', quantity: 3, amount: 1000 }];
    expect(
      refundLineItems(
        [
          { id: 'L1', sku: 'TEE', quantity: 2 },
          { id: 'L2', sku: 'TEE', quantity: 5 },
          { id: 'L3', sku: 'CAP', quantity: 1 },
        ],
        lines,
      ),
    ).toEqual([
      { lineItemId: 'L1', quantity: 2, restockType: 'NO_RESTOCK' },
      { lineItemId: 'L2', quantity: 1, restockType: 'NO_RESTOCK' },
    ]);
    const woo = wooRefundLines(
      [
        { id: 1, sku: 'TEE', quantity: 2 },
        { id: 2, sku: 'TEE', quantity: 2 },
      ],
      lines,
      'USD',
    );
    expect(woo).toEqual([
      { id: 1, quantity: 2, refund_total: '6.67' },
      { id: 2, quantity: 1, refund_total: '3.33' },
    ]);
  });
});
