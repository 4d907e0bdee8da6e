import type { BinChange, ChangeFailure, PositionChange } from '../core/ports.ts';
import { availableDelta, bucketsOf, ceilings, exceedsCeiling, requirements } from '../core/stock-position.ts';
import { inventoryKeys } from '../keys.ts';
import { ALL_BUCKETS, type StockPosition } from '../schemas/stock.ts';
import { ENTITY, encodeLastOp, SPARSE_BUCKETS } from './items.ts';

export interface UpdateParts {
  Key: { pk: string; sk: string };
  UpdateExpression: string;
  ConditionExpression: string;
  ExpressionAttributeNames: Record<string, string>;
  ExpressionAttributeValues: Record<string, unknown>;
}

/**
 * The UpdateItem for one position change: arithmetic on the buckets it touches and on the
 * materialized `available`, `version + 1`, `lastOp`; the condition checks the item exists, every
 * lowered bucket (and available) stays ≥ 0, and the command key idempotency. No reservation id
 * is written: open reservations are their records (docs/decisions.md, 2026-12-05).
 */
export function positionUpdate(change: PositionChange, now: string): UpdateParts {
  const names: Record<string, string> = {
    '#version': 'version',
    '#updatedAt': 'updatedAt',
    '#lastOp': 'lastOp',
  };
  const values: Record<string, unknown> = { ':one': 1, ':now': now, ':op': encodeLastOp(change.op) };
  const set: string[] = [];
  const cond: string[] = [];

  for (const b of ALL_BUCKETS) {
    const d = change.deltas[b] ?? 0;
    if (d === 0) continue;
    names[`#${b}`] = b;
    values[`:d_${b}`] = d;
    // A sparse bucket may be absent (read as 0); lowering one is conditional on it (requirements).
    if (d > 0 && SPARSE_BUCKETS.includes(b)) {
      values[':zero'] = 0;
      set.push(`#${b} = if_not_exists(#${b}, :zero) + :d_${b}`);
    } else {
      set.push(`#${b} = #${b} + :d_${b}`);
    }
  }
  const dAvail = availableDelta(change.deltas);
  if (dAvail !== 0) {
    names['#available'] = 'available';
    values[':d_available'] = dAvail;
    set.push('#available = #available + :d_available');
  }
  for (const r of requirements(change.deltas)) {
    names[`#${r.field}`] = r.field;
    values[`:min_${r.field}`] = r.atLeast;
    cond.push(`#${r.field} >= :min_${r.field}`);
  }
  // Upper bounds (MAX_BUCKET_UNITS): a bucket still absent is 0, far below its bound.
  for (const c of ceilings(change.deltas)) {
    names[`#${c.field}`] = c.field;
    values[`:max_${c.field}`] = c.atMost;
    cond.push(`(attribute_not_exists(#${c.field}) OR #${c.field} <= :max_${c.field})`);
  }
  set.push('#version = #version + :one', '#updatedAt = :now', '#lastOp = :op');

  if (change.commandKey) {
    names['#done'] = 'done';
    names['#ck'] = change.commandKey;
    set.push('#done.#ck = :now');
    cond.push('attribute_not_exists(#done.#ck)');
  }
  // A lower bound can only hold on an existing item; otherwise say so, or the update would
  // create a partial item.
  if (requirements(change.deltas).length === 0) {
    names['#pk'] = 'pk';
    cond.unshift('attribute_exists(#pk)');
  }
  return {
    Key: inventoryKeys.position(change.key.sku, change.key.locationId, change.key.shard),
    UpdateExpression: `SET ${set.join(', ')}`,
    ConditionExpression: cond.join(' AND '),
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}

/**
 * Why a change's condition failed, read from the item as it was (ALL_OLD). A command key already
 * there is recognised before a shortage: a retry of an applied command answers its first outcome.
 */
export function classifyFailure(change: PositionChange, old: StockPosition | undefined): ChangeFailure {
  if (!old) return { status: 'missing' };
  if (change.commandKey && old.done?.[change.commandKey] !== undefined)
    return { status: 'duplicate', current: old };
  const b = bucketsOf(old);
  // Giving back reserved units the item does not hold (its reserved is below them).
  const giveBack = -(change.deltas.reserved ?? 0);
  if (giveBack > 0 && b.reserved < giveBack) return { status: 'not-held', current: old };
  // The materialized available is what the condition checked; it equals the derived one (checker).
  const view = { ...b, available: old.available ?? b.available };
  if (requirements(change.deltas).some((r) => view[r.field] < r.atLeast)) {
    return { status: 'insufficient', current: old };
  }
  const tooMany = exceedsCeiling(b, change.deltas);
  if (tooMany) return { status: 'out-of-range', current: old, field: tooMany };
  return { status: 'insufficient', current: old };
}

/**
 * The Update of one bin's units, for the transaction of the position write that changes them.
 * Taking units out is conditional on the bin holding them (a bin never goes below 0); putting
 * units in creates the item when needed (bounded by the position's onHand ceiling: Σ bins = onHand).
 */
export function binUpdate(
  bin: BinChange,
  now: string,
): Omit<UpdateParts, 'ConditionExpression'> & {
  ConditionExpression?: string;
} {
  const taking = bin.delta < 0;
  const index = inventoryKeys.binStockIndex(bin.sku, bin.locationId, bin.binId);
  const fields = {
    entity: ENTITY.binStock,
    sku: bin.sku,
    locationId: bin.locationId,
    binId: bin.binId,
    ...index,
  };
  return {
    Key: inventoryKeys.binStock(bin.sku, bin.locationId, bin.binId),
    UpdateExpression: `SET #quantity = if_not_exists(#quantity, :zero) + :delta, #updatedAt = :now, ${Object.keys(
      fields,
    )
      .map((f) => `#${f} = :${f}`)
      .join(', ')}`,
    ...(taking ? { ConditionExpression: '#quantity >= :need' } : {}),
    ExpressionAttributeNames: {
      '#quantity': 'quantity',
      '#updatedAt': 'updatedAt',
      ...Object.fromEntries(Object.keys(fields).map((f) => [`#${f}`, f])),
    },
    ExpressionAttributeValues: {
      ':zero': 0,
      ':delta': bin.delta,
      ':now': now,
      ...Object.fromEntries(Object.entries(fields).map(([f, v]) => [`:${f}`, v])),
      ...(taking ? { ':need': -bin.delta } : {}),
    },
  };
}
