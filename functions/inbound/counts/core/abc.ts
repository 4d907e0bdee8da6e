import type { AbcClass, CountSettings } from '../schemas.ts';

export interface SkuVelocity {
  sku: string;
  shippedUnits: number;
  /** Minor units of the last received unit cost; undefined when the SKU was never received on a PO. */
  unitCostMinor?: number;
  currency?: string;
}

export interface AbcRow extends SkuVelocity {
  value: number;
  class: AbcClass;
}

/**
 * ABC classes by value velocity (shipped units × unit cost), Pareto style: SKUs by value, highest
 * first (then SKU code); a SKU is A while the value ranked above it is below `a` % of the total,
 * B while below `a + b` %, else C. So the SKU that crosses a cut-off still belongs to the class
 * it starts in, and the top SKU is always A. A SKU with no value (nothing shipped, or no cost
 * known) is C.
 */
export function classify(rows: readonly SkuVelocity[], cutoffs: CountSettings['abcCutoffs']): AbcRow[] {
  const valued = rows.map((r) => ({ ...r, value: r.shippedUnits * (r.unitCostMinor ?? 0) }));
  valued.sort((x, y) => y.value - x.value || (x.sku < y.sku ? -1 : x.sku > y.sku ? 1 : 0));
  const total = valued.reduce((s, r) => s + r.value, 0);
  let above = 0;
  return valued.map((r) => {
    const share = total > 0 ? (above / total) * 100 : 100;
    above += r.value;
    const cls: AbcClass =
      r.value <= 0 ? 'C' : share < cutoffs.a ? 'A' : share < cutoffs.a + cutoffs.b ? 'B' : 'C';
    return { ...r, class: cls };
  });
}

/** The class of a bin: the highest of the SKUs in it (a bin holding an A SKU is counted as A). */
export function binClass(skus: readonly string[], classes: ReadonlyMap<string, AbcClass>): AbcClass {
  const of = skus.map((s) => classes.get(s) ?? 'C');
  return of.includes('A') ? 'A' : of.includes('B') ? 'B' : 'C';
}
