import type { BinStockRow } from '#inventory/api';
import type { Fulfillment, PickTask } from '../schemas/fulfillment.ts';

/** Where a SKU's units sit at the location (inventory's `binStockOf`). */
export type BinStock = BinStockRow;

export interface PickPathInput {
  waveId: string;
  locationId: string;
  /** The wave's fulfillments, in pick priority order (earlier ones are served first when stock is short). */
  fulfillments: Fulfillment[];
  binStock: Map<string, BinStock[]>;
  /** Units of a bin already promised to open tasks, by `${binId}#${sku}`. */
  committed: Map<string, number>;
  /** Catalog barcodes by SKU. */
  barcodes: Map<string, string[]>;
}

export interface Unplaced {
  fulfillmentId: string;
  sku: string;
  quantity: number;
}

export interface PickPath {
  tasks: PickTask[];
  /**
   * Units no bin can give. A fulfillment listed here gets no task at all (it stays released for
   * a later wave) and its other units stay free for the fulfillments after it.
   */
  unplaced: Unplaced[];
}

/**
 * Bin types in the order they are picked from: pick faces, then bulk, then as a last resort the
 * receiving dock (stock received but not yet put away). Staging holds picked units: never.
 */
const PICKABLE_TIERS: readonly string[] = ['pick', 'bulk', 'receiving'];

interface Demand {
  fulfillmentId: string;
  lineId: string;
  sku: string;
  quantity: number;
}

/**
 * The pick tasks of a wave (pure): one task per bin × SKU, the wave's orders batched into it
 * (its allocations say which fulfillment line each unit goes to). Per SKU the units come from
 * pick bins first, then bulk, then receiving, each tier using the fewest bins it can (then the
 * earliest in walk order); units already committed to open tasks are not offered again. Tasks
 * are sorted by zone, walk order, bin id and SKU, numbered `${waveId}.1`, `${waveId}.2`, … in
 * that order.
 */
export function buildPickTasks(input: PickPathInput): PickPath {
  const free = freeStock(input.binStock, input.committed);

  // A fulfillment goes in only if every unit of it can be placed (a partial pick ships nothing).
  const left = new Map([...free].map(([sku, bins]) => [sku, total(bins)]));
  const accepted: Demand[] = [];
  const unplaced: Unplaced[] = [];
  for (const f of input.fulfillments) {
    const demand = demandOf(f);
    const needBySku = sumBySku(demand);
    const short = [...needBySku]
      .map(([sku, need]) => ({ fulfillmentId: f.fulfillmentId, sku, quantity: need - (left.get(sku) ?? 0) }))
      .filter((s) => s.quantity > 0);
    if (short.length > 0) {
      unplaced.push(...short);
      continue;
    }
    for (const [sku, need] of needBySku) left.set(sku, (left.get(sku) ?? 0) - need);
    accepted.push(...demand);
  }

  const tasks: Omit<PickTask, 'taskId'>[] = [];
  for (const [sku, need] of sumBySku(accepted)) {
    const bins = chooseBins(free.get(sku) ?? [], need);
    const queue = accepted.filter((d) => d.sku === sku).map((d) => ({ ...d }));
    for (const { bin, take } of bins) {
      const allocations: PickTask['allocations'] = [];
      let remaining = take;
      while (remaining > 0 && queue.length > 0) {
        const next = queue[0] as Demand;
        const units = Math.min(remaining, next.quantity);
        allocations.push({
          fulfillmentId: next.fulfillmentId,
          lineId: next.lineId,
          quantity: units,
          picked: 0,
        });
        remaining -= units;
        next.quantity -= units;
        if (next.quantity === 0) queue.shift();
      }
      tasks.push({
        waveId: input.waveId,
        locationId: input.locationId,
        binId: bin.binId,
        binCode: bin.barcode ?? bin.binId,
        zone: bin.zone,
        walkOrder: bin.walkOrder,
        sku,
        barcodes: [...new Set([...(input.barcodes.get(sku) ?? []), sku])],
        quantity: take,
        pickedQuantity: 0,
        status: 'open',
        allocations,
      });
    }
  }

  tasks.sort(byWalk);
  return {
    tasks: tasks.map((t, i) => ({ taskId: `${input.waveId}.${i + 1}`, ...t })),
    unplaced,
  };
}

/** Units still to pick per fulfillment line (lines are already one per lineId × sku). */
function demandOf(f: Fulfillment): Demand[] {
  return f.lines
    .map((line) => ({
      fulfillmentId: f.fulfillmentId,
      lineId: line.lineId,
      sku: line.sku,
      quantity: Math.max(0, line.quantity - line.picked),
    }))
    .filter((d) => d.quantity > 0);
}

/** Pickable bins per SKU with what is not yet promised to open tasks. */
function freeStock(binStock: Map<string, BinStock[]>, committed: Map<string, number>) {
  const free = new Map<string, BinStock[]>();
  for (const [sku, bins] of binStock) {
    free.set(
      sku,
      bins
        .filter((b) => PICKABLE_TIERS.includes(b.type))
        .map((b) => ({ ...b, quantity: b.quantity - (committed.get(`${b.binId}#${sku}`) ?? 0) }))
        .filter((b) => b.quantity > 0),
    );
  }
  return free;
}

/**
 * Which bins give `need` units: tier by tier, the fewest bins in each (the first bin in walk order
 * that covers what is still needed, else the fullest, and again), in walk order.
 */
function chooseBins(bins: readonly BinStock[], need: number): { bin: BinStock; take: number }[] {
  const chosen: { bin: BinStock; take: number }[] = [];
  let remaining = need;
  for (const tier of PICKABLE_TIERS) {
    const candidates = bins.filter((b) => b.type === tier).sort(byWalk);
    while (remaining > 0 && candidates.length > 0) {
      const covering = candidates.findIndex((b) => b.quantity >= remaining);
      const index = covering >= 0 ? covering : indexOfFullest(candidates);
      const [bin] = candidates.splice(index, 1) as [BinStock];
      const take = Math.min(bin.quantity, remaining);
      chosen.push({ bin, take });
      remaining -= take;
    }
  }
  return chosen;
}

function indexOfFullest(bins: readonly BinStock[]): number {
  let best = 0;
  bins.forEach((b, i) => {
    if (b.quantity > (bins[best] as BinStock).quantity) best = i;
  });
  return best;
}

function sumBySku(demand: readonly Demand[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const d of demand) out.set(d.sku, (out.get(d.sku) ?? 0) + d.quantity);
  return out;
}

const total = (bins: readonly BinStock[]) => bins.reduce((sum, b) => sum + b.quantity, 0);

/** Zone, walk order, bin id, then SKU: code-point order, as the task items sort in the table. */
function byWalk(
  a: { zone: string; walkOrder: number; binId: string; sku?: string },
  b: { zone: string; walkOrder: number; binId: string; sku?: string },
): number {
  if (a.zone !== b.zone) return a.zone < b.zone ? -1 : 1;
  if (a.walkOrder !== b.walkOrder) return a.walkOrder - b.walkOrder;
  if (a.binId !== b.binId) return a.binId < b.binId ? -1 : 1;
  const skuA = a.sku ?? '';
  const skuB = b.sku ?? '';
  return skuA < skuB ? -1 : skuA > skuB ? 1 : 0;
}
