import { describe, expect, it } from 'vitest';
import { kitComponent } from '../../functions/catalog/schemas/sku.ts';
import { classifyFailure, positionUpdate } from '../../functions/inventory/adapters/position-update.ts';
import type { PositionChange } from '../../functions/inventory/core/ports.ts';
import {
  adjustmentDeltas,
  ceilings,
  emptyPosition,
  exceedsCeiling,
  reserveDeltas,
} from '../../functions/inventory/core/stock-position.ts';
import { reservationLine } from '../../functions/inventory/schemas/reservation.ts';
import { adjustmentBody, moveBody, receiptBody } from '../../functions/inventory/schemas/stock.ts';
import { IntakeFailure } from '../../functions/orders/errors.ts';
import { assertLineBounds, money, parsePayload } from '../../functions/orders/intake/core/normalize/draft.ts';
import { amazonOrderChange } from '../../functions/orders/intake/schemas/amazon-order-change.ts';
import { exposureRule } from '../../functions/orders/intake/schemas/channel.ts';
import { shopifyLineItem } from '../../functions/orders/intake/schemas/shopify-order.ts';
import { wooLineItem } from '../../functions/orders/intake/schemas/woocommerce-order.ts';
import { routingRuleSet } from '../../functions/orders/release/schemas.ts';
import { canonicalOrder, storefrontLine } from '../../functions/orders/schemas/canonical-order.ts';
import {
  MAX_BUCKET_UNITS,
  MAX_MONEY_MINOR,
  MAX_ORDER_LINES,
  MAX_QUANTITY,
} from '../../functions/shared/bounds.ts';

/** Values the probes sent, and the ones around each bound. */
const UNSAFE = [2 ** 53 - 1, -(2 ** 53), 1e9, MAX_QUANTITY + 1, Number.NaN, Number.POSITIVE_INFINITY];
const NOT_WHOLE = [1.5, 0.1];

const base = { sku: 'MUG', locationId: 'WH1', reason: 'count', idempotencyKey: 'key-00000001' };

describe('every bound stays far inside the safe-integer range', () => {
  it('so that sums and products of bounded values are exact', () => {
    // 500 lines at the money cap; a kit line of capped quantities; 32 shards at the bucket cap.
    expect(Number.isSafeInteger(MAX_ORDER_LINES * MAX_MONEY_MINOR)).toBe(true);
    expect(Number.isSafeInteger(MAX_QUANTITY * MAX_QUANTITY * 50)).toBe(true);
    expect(Number.isSafeInteger(32 * MAX_BUCKET_UNITS)).toBe(true);
    expect(MAX_QUANTITY).toBe(1_000_000);
  });
});

describe('inventory requests', () => {
  it.each(UNSAFE)('refuse an adjustment delta of %d', (delta) => {
    const r = adjustmentBody.safeParse({ ...base, delta });
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.path.join('.'))).toContain('delta');
  });

  it.each([...NOT_WHOLE, 0])('refuse an adjustment delta of %d (whole, non-zero units only)', (delta) => {
    expect(adjustmentBody.safeParse({ ...base, delta }).success).toBe(false);
  });

  it('take an adjustment delta up to the bound either way', () => {
    for (const delta of [MAX_QUANTITY, -MAX_QUANTITY, 1, -1]) {
      expect(adjustmentBody.safeParse({ ...base, delta }).success).toBe(true);
    }
  });

  it.each([...UNSAFE, ...NOT_WHOLE, 0, -1])('refuse a receipt, move or reservation line of %d units', (q) => {
    expect(receiptBody.safeParse({ ...base, quantity: q }).success).toBe(false);
    expect(moveBody.safeParse({ ...base, from: 'available', to: 'damaged', quantity: q }).success).toBe(
      false,
    );
    expect(reservationLine.safeParse({ sku: 'MUG', quantity: q }).success).toBe(false);
    expect(kitComponent.safeParse({ sku: 'MUG', quantity: q }).success).toBe(false);
  });

  it('take one of each at the bound', () => {
    expect(receiptBody.safeParse({ ...base, quantity: MAX_QUANTITY }).success).toBe(true);
    expect(reservationLine.safeParse({ sku: 'MUG', quantity: MAX_QUANTITY }).success).toBe(true);
    expect(kitComponent.safeParse({ sku: 'MUG', quantity: MAX_QUANTITY }).success).toBe(true);
  });
});

describe('the upper bound of a position write', () => {
  const op = { kind: 'adjust' as const, at: '2026-01-01T00:00:00.000Z', actor: 'ana', correlationId: 'c' };
  const key = { sku: 'MUG', locationId: 'WH1', shard: 0 };
  const adjust = (delta: number): PositionChange => ({
    key,
    deltas: adjustmentDeltas(delta),
    commandKey: 'k1',
    op,
  });

  it('is a condition on onHand (and inTransit) when the write raises them', () => {
    const u = positionUpdate(adjust(1_000_000), op.at);
    expect(u.ConditionExpression).toContain('(attribute_not_exists(#onHand) OR #onHand <= :max_onHand)');
    expect(u.ExpressionAttributeValues[':max_onHand']).toBe(MAX_BUCKET_UNITS - 1_000_000);
    const transit = positionUpdate({ ...adjust(5), deltas: adjustmentDeltas(5, 'inTransit') }, op.at);
    expect(transit.ExpressionAttributeValues[':max_inTransit']).toBe(MAX_BUCKET_UNITS - 5);
  });

  it('costs the hot reservation write nothing: reserved is bounded by onHand already', () => {
    expect(ceilings(reserveDeltas(3))).toEqual([]);
    expect(ceilings(adjustmentDeltas(-3))).toEqual([]);
  });

  it('names the bucket when the write was refused for it', () => {
    const near = { ...emptyPosition('MUG', 'WH1', 0, op.at), onHand: MAX_BUCKET_UNITS - 10 };
    expect(exceedsCeiling(near, adjustmentDeltas(10))).toBeUndefined();
    expect(exceedsCeiling(near, adjustmentDeltas(11))).toBe('onHand');
    expect(classifyFailure(adjust(11), { ...near, available: near.onHand })).toMatchObject({
      status: 'out-of-range',
      field: 'onHand',
    });
  });
});

describe('channel payloads', () => {
  const intakeCode = (f: () => unknown) => {
    try {
      f();
    } catch (error) {
      if (error instanceof IntakeFailure) return error.code;
      throw error;
    }
    return undefined;
  };

  it.each([2 ** 53 - 1, 1e9, MAX_QUANTITY + 1])('refuse a line of %d units on every channel', (q) => {
    const shopify = { id: 1, quantity: q, price: '1.00' };
    expect(intakeCode(() => parsePayload(shopifyLineItem, shopify, 'Shopify order'))).toBe(
      'QUANTITY_OUT_OF_RANGE',
    );
    expect(intakeCode(() => parsePayload(wooLineItem, { id: 1, quantity: q, price: '1' }, 'order'))).toBe(
      'QUANTITY_OUT_OF_RANGE',
    );
    expect(storefrontLine.safeParse({ sku: 'MUG', quantity: q, unitPrice: '1.00' }).success).toBe(false);
    const amazon = {
      NotificationType: 'ORDER_CHANGE',
      EventTime: '2026-01-01T00:00:00Z',
      Payload: {
        OrderChangeNotification: {
          SellerId: 'S',
          AmazonOrderId: 'A',
          Summary: { OrderStatus: 'Unshipped', OrderItems: [{ OrderItemId: '1', Quantity: q }] },
        },
      },
    };
    expect(intakeCode(() => parsePayload(amazonOrderChange, amazon, 'notification'))).toBe(
      'QUANTITY_OUT_OF_RANGE',
    );
  });

  it('keep a wrong type an invalid payload, not a range problem', () => {
    expect(intakeCode(() => parsePayload(shopifyLineItem, { id: 1, quantity: 1.5, price: '1' }, 'o'))).toBe(
      'INVALID_PAYLOAD',
    );
  });

  it('refuse an amount past 10^11 minor units', () => {
    expect(money('1000000000.00', 'USD', 'price')).toBe(MAX_MONEY_MINOR);
    expect(intakeCode(() => money('1000000000.01', 'USD', 'price'))).toBe('AMOUNT_OUT_OF_RANGE');
    expect(intakeCode(() => money('99999999999999999999', 'JPY', 'price'))).toBe('AMOUNT_OUT_OF_RANGE');
  });

  it('refuse a line discount larger than its price, and a line whose price × quantity is too large', () => {
    const line = { lineId: '1', listingKeys: [], quantity: 2, unitPrice: 500, discount: 1000 };
    expect(intakeCode(() => assertLineBounds([line]))).toBeUndefined();
    expect(intakeCode(() => assertLineBounds([{ ...line, discount: 1001 }]))).toBe('DISCOUNT_EXCEEDS_PRICE');
    expect(intakeCode(() => assertLineBounds([{ ...line, unitPrice: MAX_MONEY_MINOR, quantity: 2 }]))).toBe(
      'AMOUNT_OUT_OF_RANGE',
    );
    // Amazon's summary lines carry no price: nothing to compare.
    expect(intakeCode(() => assertLineBounds([{ ...line, unitPrice: null, discount: 0 }]))).toBeUndefined();
  });
});

describe('the canonical order', () => {
  const order = (line: Record<string, unknown>) => ({
    channelId: 'c',
    channelType: 'generic',
    externalId: 'x',
    placedAt: '2026-01-01T00:00:00Z',
    sourceUpdatedAt: '2026-01-01T00:00:00Z',
    currency: 'USD',
    lines: [{ lineId: '1', sku: 'MUG', quantity: 1, unitPrice: 100, discount: 0, isKit: false, ...line }],
    discounts: [],
    shippingPrice: null,
    taxTotal: null,
    total: null,
    shipTo: null,
    serviceLevel: 'standard',
    paymentStatus: 'paid',
    customerRef: null,
    cancelled: false,
    cancelledAt: null,
  });

  it('takes a line within every bound', () => {
    expect(canonicalOrder.safeParse(order({})).success).toBe(true);
  });

  it.each([
    ['quantity', { quantity: 1e9 }],
    ['quantity', { quantity: 2 ** 53 - 1 }],
    ['unitPrice', { unitPrice: MAX_MONEY_MINOR + 1 }],
    ['unitPrice', { unitPrice: Number.NaN }],
    ['discount', { discount: 101 }],
    ['unitPrice', { unitPrice: MAX_MONEY_MINOR, quantity: 2 }],
  ])('refuses a line with a bad %s', (field, line) => {
    const r = canonicalOrder.safeParse(order(line));
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.path.join('.'))).toContain(`lines.0.${field}`);
  });
});

describe('configuration', () => {
  it('bounds channel exposure counts and routing shipping costs', () => {
    expect(exposureRule.safeParse({ cap: MAX_BUCKET_UNITS }).success).toBe(true);
    expect(exposureRule.safeParse({ cap: MAX_BUCKET_UNITS + 1 }).success).toBe(false);
    expect(exposureRule.safeParse({ buffer: Number.POSITIVE_INFINITY }).success).toBe(false);
    expect(routingRuleSet.safeParse({ shippingCost: { '1': { standard: MAX_MONEY_MINOR } } }).success).toBe(
      true,
    );
    expect(routingRuleSet.safeParse({ shippingCost: { '1': { standard: 2 ** 53 - 1 } } }).success).toBe(
      false,
    );
  });
});
