import type { BinChange, ChangeFailure, PositionChange } from '../core/ports.ts';
import { availableDelta, bucketsOf, ceilings, exceedsCeiling, requirements } from '../core/stock-position.ts';
import { inventoryKeys } from '../keys.ts';
import { ALL_BUCKETS, MAX_HOLDS_PER_ITEM, type StockPosition } from '../schemas/stock.ts';
import { ENTITY, encodeLastOp, HOLD_ATTRIBUTES, SPARSE_BUCKETS } from './items.ts';

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
 * lowered bucket (and available) stays ≥ 0, and the hold / command key idempotency.
 */
export function positionUpdate(change: PositionChange, now: string): UpdateParts {
  const names: Record<string, string> = {
    '#version': 'version',
    '#updatedAt': 'updatedAt',
    '#lastOp': 'lastOp',
  };
  const values: Record<string, unknown> = { ':one': 1, ':now': now, ':op': encodeLastOp(change.op) };
  const set: string[] = [];
  const remove: string[] = [];
  const add: string[] = [];
  const del: string[] = [];
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

  if (change.hold) {
    // Open holds are a string set of reservation ids plus, for holds of more than one unit, their
    // quantity in a map (see HOLD_ATTRIBUTES in items.ts for why not one map of id → quantity).
    const { reservationId, quantity } = change.hold;
    const several = quantity !== 1;
    names['#holdIds'] = HOLD_ATTRIBUTES.ids;
    values[':rid'] = reservationId;
    // A resize that keeps the hold leaves the set alone (DynamoDB refuses unused values).
    if (change.hold.op !== 'resize' || change.hold.to === 0) values[':rids'] = new Set([reservationId]);
    if (several) {
      names['#holdQuantities'] = HOLD_ATTRIBUTES.quantities;
      names['#rid'] = reservationId;
      values[':hq'] = quantity;
    }
    if (change.hold.op === 'add') {
      values[':maxHolds'] = MAX_HOLDS_PER_ITEM;
      add.push('#holdIds :rids');
      if (several) set.push('#holdQuantities.#rid = :hq');
      cond.push(
        'NOT contains(#holdIds, :rid)',
        '(attribute_not_exists(#holdIds) OR size(#holdIds) < :maxHolds)',
      );
    } else {
      cond.push('contains(#holdIds, :rid)');
      if (several) {
        cond.push('#holdQuantities.#rid = :hq');
      } else {
        names['#holdQuantities'] = HOLD_ATTRIBUTES.quantities;
        names['#rid'] = reservationId;
        cond.push('attribute_not_exists(#holdQuantities.#rid)');
      }
      // A resize keeps the hold with its new quantity (a short pick); 0 takes it off like a remove.
      const to = change.hold.op === 'resize' ? change.hold.to : 0;
      if (to === 0) del.push('#holdIds :rids');
      if (to > 1) {
        values[':hqTo'] = to;
        set.push('#holdQuantities.#rid = :hqTo');
      } else if (several) {
        remove.push('#holdQuantities.#rid');
      }
    }
  }
  if (change.commandKey) {
    names['#done'] = 'done';
    names['#ck'] = change.commandKey;
    set.push('#done.#ck = :now');
    cond.push('attribute_not_exists(#done.#ck)');
  }
  // A lower bound or a held quantity can only hold on an existing item; otherwise say so, or the
  // update would create a partial item.
  if (requirements(change.deltas).length === 0 && (!change.hold || change.hold.op === 'add')) {
    names['#pk'] = 'pk';
    cond.unshift('attribute_exists(#pk)');
  }
  return {
    Key: inventoryKeys.position(change.key.sku, change.key.locationId, change.key.shard),
    UpdateExpression: [
      `SET ${set.join(', ')}`,
      remove.length ? `REMOVE ${remove.join(', ')}` : '',
      add.length ? `ADD ${add.join(', ')}` : '',
      del.length ? `DELETE ${del.join(', ')}` : '',
    ]
      .filter(Boolean)
      .join(' '),
    ConditionExpression: cond.join(' AND '),
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}

/**
 * Why a change's condition failed, read from the item as it was (ALL_OLD). Duplicates are
 * recognised before shortages: a retry of an applied reservation must answer its first outcome
 * even when the position has since sold out.
 */
export function classifyFailure(change: PositionChange, old: StockPosition | undefined): ChangeFailure {
  if (!old) return { status: 'missing' };
  const holds = old.holds ?? {};
  if (change.hold?.op === 'add' && holds[change.hold.reservationId] !== undefined) {
    return { status: 'duplicate', current: old };
  }
  if (change.commandKey && old.done?.[change.commandKey] !== undefined)
    return { status: 'duplicate', current: old };
  if (
    (change.hold?.op === 'remove' || change.hold?.op === 'resize') &&
    holds[change.hold.reservationId] !== change.hold.quantity
  ) {
    return { status: 'not-held', current: old };
  }
  const b = bucketsOf(old);
  // The materialized available is what the condition checked; it equals the derived one (checker).
  const view = { ...b, available: old.available ?? b.available };
  if (requirements(change.deltas).some((r) => view[r.field] < r.atLeast)) {
    return { status: 'insufficient', current: old };
  }
  const tooMany = exceedsCeiling(b, change.deltas);
  if (tooMany) return { status: 'out-of-range', current: old, field: tooMany };
  if (change.hold?.op === 'add' && Object.keys(holds).length >= MAX_HOLDS_PER_ITEM) {
    return { status: 'full', current: old };
  }
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
