import { describe, expect, it } from 'vitest';
import { positionAttributes, toPosition } from '../../functions/inventory/adapters/items.ts';
import { classifyFailure, positionUpdate } from '../../functions/inventory/adapters/position-update.ts';
import type { PositionChange } from '../../functions/inventory/core/ports.ts';
import { emptyPosition, reserveDeltas } from '../../functions/inventory/core/stock-position.ts';
import { MAX_HOLDS_PER_ITEM, type StockPosition } from '../../functions/inventory/schemas/stock.ts';

const op = {
  kind: 'reserve' as const,
  at: '2026-01-01T00:00:00.000Z',
  actor: 'ana',
  correlationId: 'c1',
  reservationId: 'r1',
  via: 'single' as const,
};
const reserve: PositionChange = {
  key: { sku: 'MUG', locationId: 'WH1', shard: 3 },
  deltas: reserveDeltas(2),
  hold: { reservationId: 'r1', quantity: 2, op: 'add' },
  op,
};
const at = (p: Partial<StockPosition>): StockPosition => ({ ...emptyPosition('MUG', 'WH1', 3, op.at), ...p });

describe('the reservation write', () => {
  it('is one UpdateItem on the shard item that moves the units and records the reservation id', () => {
    const u = positionUpdate(reserve, op.at);
    expect(u.Key).toEqual({ pk: 'STOCK#MUG#3', sk: 'LOC#WH1' });
    expect(u.UpdateExpression).toContain('#reserved = #reserved + :d_reserved');
    expect(u.UpdateExpression).toContain('#available = #available + :d_available');
    expect(u.UpdateExpression).toContain('#version = #version + :one');
    expect(u.UpdateExpression).toContain('ADD #holdIds :rids');
    expect(u.ExpressionAttributeValues[':rids']).toEqual(new Set(['r1']));
    // Two units: the quantity goes beside the id (a one-unit hold is the id alone).
    expect(u.UpdateExpression).toContain('#holdQuantities.#rid = :hq');
    expect(u.ExpressionAttributeValues[':d_available']).toBe(-2);
  });

  it('is conditional on enough available, the id not being there yet, and room for another hold', () => {
    const u = positionUpdate(reserve, op.at);
    expect(u.ConditionExpression).toBe(
      '#available >= :min_available AND NOT contains(#holdIds, :rid) AND ' +
        '(attribute_not_exists(#holdIds) OR size(#holdIds) < :maxHolds)',
    );
    expect(u.ExpressionAttributeValues[':min_available']).toBe(2);
    expect(u.ExpressionAttributeValues[':rid']).toBe('r1');
  });

  it('records a one-unit hold as its id alone', () => {
    const u = positionUpdate(
      { ...reserve, deltas: reserveDeltas(1), hold: { reservationId: 'r1', quantity: 1, op: 'add' } },
      op.at,
    );
    expect(u.UpdateExpression).not.toContain('#holdQuantities');
    expect(u.UpdateExpression).toContain('ADD #holdIds :rids');
  });

  it('removes the hold only if it carries exactly the quantity being released', () => {
    const u = positionUpdate(
      { ...reserve, deltas: { reserved: -2 }, hold: { reservationId: 'r1', quantity: 2, op: 'remove' } },
      op.at,
    );
    expect(u.UpdateExpression).toContain('REMOVE #holdQuantities.#rid');
    expect(u.UpdateExpression).toContain('DELETE #holdIds :rids');
    expect(u.ConditionExpression).toContain('contains(#holdIds, :rid) AND #holdQuantities.#rid = :hq');
    const one = positionUpdate(
      { ...reserve, deltas: { reserved: -1 }, hold: { reservationId: 'r1', quantity: 1, op: 'remove' } },
      op.at,
    );
    // One unit released: the hold must not be one of several units.
    expect(one.ConditionExpression).toContain(
      'contains(#holdIds, :rid) AND attribute_not_exists(#holdQuantities.#rid)',
    );
    expect(u.ConditionExpression).toContain('#reserved >= :min_reserved');
  });

  it('adds to a bucket the item may not store yet from zero, and lowers one only if it holds enough', () => {
    const u = positionUpdate(
      {
        key: reserve.key,
        deltas: { onHand: -2, quarantined: 2 },
        commandKey: 'q-1',
        op: { ...op, kind: 'move' },
      },
      op.at,
    );
    expect(u.UpdateExpression).toContain(
      '#quarantined = if_not_exists(#quarantined, :zero) + :d_quarantined',
    );
    expect(u.UpdateExpression).toContain('#onHand = #onHand + :d_onHand');
    const back = positionUpdate(
      {
        key: reserve.key,
        deltas: { onHand: 2, quarantined: -2 },
        commandKey: 'q-2',
        op: { ...op, kind: 'move' },
      },
      op.at,
    );
    expect(back.ConditionExpression).toContain('#quarantined >= :min_quarantined');
  });

  it('checks the item exists when nothing else would (a receipt must not create a partial item)', () => {
    const u = positionUpdate(
      { key: reserve.key, deltas: { onHand: 5 }, commandKey: 'rcv-1', op: { ...op, kind: 'receive' } },
      op.at,
    );
    // …and that the receipt keeps onHand within MAX_BUCKET_UNITS (#shared/bounds).
    expect(u.ConditionExpression).toBe(
      'attribute_exists(#pk) AND (attribute_not_exists(#onHand) OR #onHand <= :max_onHand) AND attribute_not_exists(#done.#ck)',
    );
  });
});

describe('telling a duplicate from a shortage (ReturnValuesOnConditionCheckFailure: ALL_OLD)', () => {
  it('answers duplicate when the id is already on the item, even if the item has since sold out', () => {
    expect(
      classifyFailure(reserve, at({ onHand: 2, reserved: 2, available: 0, holds: { r1: 2 } })).status,
    ).toBe('duplicate');
  });

  it('answers insufficient when the id is not there and available is short', () => {
    expect(classifyFailure(reserve, at({ onHand: 1, available: 1 })).status).toBe('insufficient');
  });

  it('answers full when the item already carries the most holds it may', () => {
    const holds = Object.fromEntries(Array.from({ length: MAX_HOLDS_PER_ITEM }, (_, i) => [`o${i}`, 1]));
    expect(
      classifyFailure(reserve, at({ onHand: 5000, reserved: MAX_HOLDS_PER_ITEM, available: 4000, holds }))
        .status,
    ).toBe('full');
  });

  it('answers missing when there is no such item', () => {
    expect(classifyFailure(reserve, undefined).status).toBe('missing');
  });

  it('answers not-held when releasing a hold the item does not carry', () => {
    const release: PositionChange = {
      ...reserve,
      deltas: { reserved: -2 },
      hold: { reservationId: 'r1', quantity: 2, op: 'remove' },
    };
    expect(classifyFailure(release, at({ onHand: 5, available: 5 })).status).toBe('not-held');
  });

  it('answers duplicate for a command whose idempotency key is on the item', () => {
    const adjust: PositionChange = {
      key: reserve.key,
      deltas: { onHand: -1 },
      commandKey: 'k1',
      op: { ...op, kind: 'adjust' },
    };
    expect(classifyFailure(adjust, at({ done: { k1: op.at } })).status).toBe('duplicate');
  });
});

describe('open holds on the item', () => {
  it('are stored as a set of ids plus the quantities other than one, and read back as id → quantity', () => {
    const p = at({ reserved: 4, holds: { r1: 1, r2: 3 } });
    const item = positionAttributes(p);
    expect(item.holdIds).toEqual(new Set(['r1', 'r2']));
    expect(item.holdQuantities).toEqual({ r2: 3 });
    expect(item).not.toHaveProperty('holds');
    expect(toPosition({ pk: 'STOCK#MUG#3', sk: 'LOC#WH1', ...item }).holds).toEqual({ r1: 1, r2: 3 });
  });

  it('leave unused buckets off the item and read them back as zero', () => {
    const item = positionAttributes(at({ onHand: 5, available: 4, safetyStock: 1 }));
    expect(item).toMatchObject({ onHand: 5, reserved: 0, available: 4, safetyStock: 1 });
    for (const b of ['damaged', 'quarantined', 'returnedPending', 'inTransit'])
      expect(item).not.toHaveProperty(b);
    expect(toPosition(item)).toMatchObject({
      damaged: 0,
      quarantined: 0,
      returnedPending: 0,
      inTransit: 0,
      safetyStock: 1,
    });
  });

  it('leave no set on an item that holds nothing (DynamoDB has no empty sets)', () => {
    const item = positionAttributes(at({}));
    expect(item).not.toHaveProperty('holdIds');
    expect(toPosition(item).holds).toEqual({});
  });
});
