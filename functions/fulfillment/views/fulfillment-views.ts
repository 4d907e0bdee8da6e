import type { StoredTask, StoredWave } from '../core/ports.ts';
import { PRIVATE_FIELDS } from '../core/shipping-ports.ts';
import type { Fulfillment } from '../schemas/fulfillment.ts';

/** A fulfillment as clients see it: the record without the workflow's bookkeeping. */
export function fulfillmentView(f: Fulfillment) {
  const view: Record<string, unknown> = { ...f, waveId: f.waveId ?? null };
  for (const field of PRIVATE_FIELDS) delete view[field];
  return view;
}

/** A wave with its tasks in walk order. */
export function waveView(wave: StoredWave, tasks: readonly StoredTask[]) {
  return {
    ...waveSummary(wave),
    tasks: tasks.map((t) => ({
      taskId: t.taskId,
      binId: t.binId,
      binCode: t.binCode,
      zone: t.zone,
      walkOrder: t.walkOrder,
      sku: t.sku,
      quantity: t.quantity,
      pickedQuantity: t.pickedQuantity,
      status: t.status,
      ...(t.claimedBy ? { claimedBy: t.claimedBy, claimedAt: t.claimedAt } : {}),
      ...(t.shortQuantity ? { shortQuantity: t.shortQuantity, shortReason: t.shortReason } : {}),
      ...(t.countRequested ? { countRequested: true } : {}),
      allocations: t.allocations,
    })),
  };
}

export function waveSummary(wave: StoredWave) {
  return { ...wave, cutoffAt: wave.cutoffAt ?? null };
}
