import { describe, expect, it } from 'vitest';
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
    expect(u.UpdateExpression).toContain('#holds.#rid = :hq');
    expect(u.ExpressionAttributeValues[':d_available']).toBe(-2);
  });

  it('is conditional on enough available, the id not being there yet, and room for another hold', () => {
    const u = positionUpdate(reserve, op.at);
    expect(u.ConditionExpression).toBe(
      '#available >= :min_available AND attribute_not_exists(#holds.#rid) AND size(#holds) < :maxHolds',
    );
    expect(u.ExpressionAttributeValues[':min_available']).toBe(2);
    expect(u.ExpressionAttributeNames['#rid']).toBe('r1');
  });

  it('removes the hold only if it carries exactly the quantity being released', () => {
    const u = positionUpdate(
      { ...reserve, deltas: { reserved: -2 }, hold: { reservationId: 'r1', quantity: 2, op: 'remove' } },
      op.at,
    );
    expect(u.UpdateExpression).toContain('REMOVE #holds.#rid');
    expect(u.ConditionExpression).toContain('#holds.#rid = :hq');
    expect(u.ConditionExpression).toContain('#reserved >= :min_reserved');
  });

  it('checks the item exists when nothing else would (a receipt must not create a partial item)', () => {
    const u = positionUpdate(
      { key: reserve.key, deltas: { onHand: 5 }, commandKey: 'rcv-1', op: { ...op, kind: 'receive' } },
      op.at,
    );
    expect(u.ConditionExpression).toBe('attribute_exists(#pk) AND attribute_not_exists(#done.#ck)');
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
