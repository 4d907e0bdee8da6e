import { describe, expect, it } from 'vitest';
import { positionAttributes, toPosition } from '../../functions/inventory/adapters/items.ts';
import { classifyFailure, positionUpdate } from '../../functions/inventory/adapters/position-update.ts';
import type { PositionChange } from '../../functions/inventory/core/ports.ts';
import { emptyPosition, reserveDeltas } from '../../functions/inventory/core/stock-position.ts';
import type { StockPosition } from '../../functions/inventory/schemas/stock.ts';

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
  op,
};
const at = (p: Partial<StockPosition>): StockPosition => ({ ...emptyPosition('MUG', 'WH1', 3, op.at), ...p });

describe('the reservation write', () => {
  it('is one update of the shard item that moves the units and writes no reservation id', () => {
    const u = positionUpdate(reserve, op.at);
    expect(u.Key).toEqual({ pk: 'STOCK#MUG#3', sk: 'LOC#WH1' });
    expect(u.UpdateExpression).toBe(
      'SET #reserved = #reserved + :d_reserved, #available = #available + :d_available, ' +
        '#version = #version + :one, #updatedAt = :now, #lastOp = :op',
    );
    expect(u.ExpressionAttributeValues[':d_available']).toBe(-2);
    expect(JSON.stringify(u)).not.toMatch(/hold/i);
  });

  it('is conditional on enough available, nothing else', () => {
    const u = positionUpdate(reserve, op.at);
    expect(u.ConditionExpression).toBe('#available >= :min_available');
    expect(u.ExpressionAttributeValues[':min_available']).toBe(2);
  });

  it('gives units back only if reserved covers them', () => {
    const u = positionUpdate({ ...reserve, deltas: { reserved: -2 } }, op.at);
    expect(u.ConditionExpression).toBe('#reserved >= :min_reserved');
    expect(u.ExpressionAttributeValues[':min_reserved']).toBe(2);
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

describe('telling why a write was refused (ReturnValuesOnConditionCheckFailure: ALL_OLD)', () => {
  it('answers insufficient when available is short', () => {
    expect(classifyFailure(reserve, at({ onHand: 1, available: 1 })).status).toBe('insufficient');
  });

  it('answers missing when there is no such item', () => {
    expect(classifyFailure(reserve, undefined).status).toBe('missing');
  });

  it('answers not-held when giving back more units than the item has reserved', () => {
    const release: PositionChange = { ...reserve, deltas: { reserved: -2 } };
    expect(classifyFailure(release, at({ onHand: 5, reserved: 1, available: 4 })).status).toBe('not-held');
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

describe('the position item', () => {
  it('carries no open holds, and reads an item an earlier version wrote with them as if it did not', () => {
    const p = at({ onHand: 5, reserved: 4, available: 1 });
    const item = positionAttributes(p);
    for (const legacy of ['holds', 'holdIds', 'holdQuantities']) expect(item).not.toHaveProperty(legacy);
    const old = { ...item, holdIds: new Set(['r1', 'r2']), holdQuantities: { r2: 3 }, holds: { r1: 1 } };
    const read = toPosition({ pk: 'STOCK#MUG#3', sk: 'LOC#WH1', ...old }) as unknown as Record<
      string,
      unknown
    >;
    for (const legacy of ['holds', 'holdIds', 'holdQuantities']) expect(read).not.toHaveProperty(legacy);
    expect(read).toMatchObject({ onHand: 5, reserved: 4, available: 1 });
  });

  it('leaves unused buckets off the item and reads them back as zero', () => {
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
});
