import { share } from './money.ts';

/**
 * Moving-average cost of one SKU at one location: the units finance values there and their
 * total value in minor units. The average is value / quantity; keeping the exact total (not a
 * rounded unit cost) means issuing every unit takes exactly the value there was, to the unit.
 */
export interface CostPosition {
  sku: string;
  locationId: string;
  currency: string;
  quantity: number;
  value: number;
  /** The last average (rounded), for units issued beyond what finance knows of. */
  lastUnitCost: number;
  /** Optimistic lock: every write checks it and adds one; 0 = not stored yet. */
  version: number;
}

export const emptyPosition = (sku: string, locationId: string, currency: string): CostPosition => ({
  sku,
  locationId,
  currency,
  quantity: 0,
  value: 0,
  lastUnitCost: 0,
  version: 0,
});

/** The average unit cost in minor units (rounded), or the last one when nothing is on hand. */
export const unitCost = (p: CostPosition): number =>
  p.quantity > 0 ? share(p.value, 1, p.quantity) : p.lastUnitCost;

function settled(p: CostPosition): { position: CostPosition; variance: number } {
  // Nothing left but value: that value belongs to no unit; it goes to inventory variance.
  if (p.quantity === 0 && p.value !== 0) return { position: { ...p, value: 0 }, variance: p.value };
  return { position: p.quantity > 0 ? { ...p, lastUnitCost: unitCost(p) } : p, variance: 0 };
}

/**
 * Units in at `value` (a receipt at PO cost, or found units at the average). When the position
 * was short (issued beyond what finance knew), the units fill the gap first.
 */
export function receiveUnits(
  p: CostPosition,
  quantity: number,
  value: number,
): { position: CostPosition; variance: number } {
  return settled({ ...p, quantity: p.quantity + quantity, value: p.value + value });
}

/**
 * Units out (shipment, write-off): their cost is the average at this moment, i.e. the matching
 * share of the value. Units beyond the quantity are costed at the last average and leave the
 * position short (negative) until a receipt fills it.
 */
export function issueUnits(p: CostPosition, quantity: number): { position: CostPosition; cost: number } {
  const known = Math.max(0, Math.min(quantity, p.quantity));
  const knownCost = known === 0 ? 0 : known === p.quantity ? p.value : share(p.value, known, p.quantity);
  const beyondCost = (quantity - known) * unitCost(p);
  const cost = knownCost + beyondCost;
  const next = { ...p, quantity: p.quantity - quantity, value: p.value - cost };
  return { position: next.quantity > 0 ? { ...next, lastUnitCost: unitCost(next) } : next, cost };
}

/**
 * A landed-cost amount for one receipt line: the share for the receipt's units still on hand is
 * added to their value (the average rises), the share for units already gone goes to COGS, so
 * no amount is counted twice and none is lost.
 */
export function applyLandedCost(
  p: CostPosition,
  amount: number,
  receivedQuantity: number,
): { position: CostPosition; toInventory: number; toCogs: number } {
  const onHand = Math.max(0, Math.min(p.quantity, receivedQuantity));
  const toInventory = receivedQuantity > 0 ? share(amount, onHand, receivedQuantity) : 0;
  const next = { ...p, value: p.value + toInventory };
  return {
    position: next.quantity > 0 ? { ...next, lastUnitCost: unitCost(next) } : next,
    toInventory,
    toCogs: amount - toInventory,
  };
}
