import { logger } from '#shared/powertools';
import {
  FulfillmentContention,
  OverPick,
  PickTaskNotFound,
  ScanBinFirst,
  TaskClosed,
  TaskNotClaimed,
  UnitsForCancelled,
  WaveNotFound,
  WrongBin,
  WrongItem,
} from '../errors.ts';
import { PickShorted } from '../events/pick-shorted.ts';
import type { Fulfillment, FulfillmentStatus } from '../schemas/fulfillment.ts';
import { fulfillmentEvent } from './event-ids.ts';
import { isWithdrawn } from './fulfillments.ts';
import type { FulfillmentChange, FulfillmentPorts, StoredTask } from './ports.ts';
import { readSettings } from './settings.ts';
import { signalAll } from './waves.ts';

/** Picked units wait here until they ship. */
export const STAGING_BIN = 'STAGING';
const ATTEMPTS = 6;

export interface PickCtx {
  actor: string;
  correlationId: string;
}

export const taskView = (t: StoredTask) => ({
  taskId: t.taskId,
  waveId: t.waveId,
  locationId: t.locationId,
  binId: t.binId,
  binCode: t.binCode,
  zone: t.zone,
  walkOrder: t.walkOrder,
  sku: t.sku,
  barcodes: t.barcodes,
  quantity: t.quantity,
  pickedQuantity: t.pickedQuantity,
  status: t.status,
  ...(t.claimedBy ? { claimedBy: t.claimedBy, claimedAt: t.claimedAt } : {}),
  ...(t.binScannedAt ? { binScannedAt: t.binScannedAt } : {}),
  ...(t.shortQuantity ? { shortQuantity: t.shortQuantity } : {}),
  ...(t.countRequested ? { countRequested: true } : {}),
  allocations: t.allocations,
});

export const scanResult = (t: StoredTask) => ({
  taskId: t.taskId,
  pickedQuantity: t.pickedQuantity,
  quantity: t.quantity,
  status: t.status,
  binScanned: Boolean(t.binScannedAt),
  ...(t.shortQuantity ? { shortQuantity: t.shortQuantity } : {}),
});

const isClosed = (t: StoredTask) => t.status === 'done' || t.status === 'short';
const lastTouch = (t: StoredTask) => Date.parse(t.touchedAt ?? t.claimedAt ?? '1970-01-01T00:00:00Z');

/**
 * The task as it still stands once fulfillments cancelled meanwhile (or whose cancel was asked)
 * are taken out: their allocations keep what was picked (the Cancel step puts that back) and the
 * task no longer owes them the rest. `found` = every fulfillment read for it (`seen` saves the
 * read when the caller has just made it).
 */
async function liveTask(ports: FulfillmentPorts, task: StoredTask, seen?: readonly Fulfillment[]) {
  const owed = [
    ...new Set(task.allocations.filter((a) => a.picked < a.quantity).map((a) => a.fulfillmentId)),
  ];
  const found =
    seen && owed.every((id) => seen.some((f) => f.fulfillmentId === id))
      ? [...seen]
      : await ports.store.getMany(owed);
  const withdrawn = found.filter(isWithdrawn).map((f) => f.fulfillmentId);
  if (withdrawn.length === 0) return { task, withdrawn, found };
  let dropped = 0;
  const allocations = task.allocations.map((a) => {
    if (!withdrawn.includes(a.fulfillmentId) || a.picked >= a.quantity) return a;
    dropped += a.quantity - a.picked;
    return { ...a, quantity: a.picked };
  });
  return { task: { ...task, allocations, quantity: task.quantity - dropped }, withdrawn, found };
}

/**
 * `quantity` units fit the task only for fulfillments cancelled meanwhile: the task shrinks to what
 * the others still need (closing it when nothing is left, so the wave can finish) and the scan is
 * refused FULFILLMENT_CANCELLED. A lost write race is left to the next scan, which shrinks it again.
 */
async function refuseForCancelled(
  ports: FulfillmentPorts,
  stored: StoredTask,
  live: { task: StoredTask; withdrawn: string[] },
): Promise<never> {
  const now = ports.clock();
  const at = now.toISOString();
  const done = live.task.pickedQuantity >= live.task.quantity;
  const patch: Partial<StoredTask> = {
    quantity: live.task.quantity,
    allocations: live.task.allocations,
    touchedAt: at,
    ...(done ? { status: 'done' as const, doneAt: at } : {}),
  };
  const measure =
    done && stored.pickedQuantity > 0 ? measured(stored, stored.pickedQuantity, now) : undefined;
  if (await ports.store.recordPick({ task: stored, patch }, [], measure)) {
    if (done) await afterRecord(ports, { ...stored, ...patch } as StoredTask, [], false);
  }
  throw new UnitsForCancelled(
    stored.taskId,
    live.withdrawn,
    Math.max(0, live.task.quantity - live.task.pickedQuantity),
  );
}

/**
 * The caller's next task of a wave, claimed for them: the task they already hold, else the first
 * open one in walk order, else one whose claim nobody touched within the location's timeout. The
 * claim is a conditional write on the version read, so two associates asking at once never get
 * the same task. Undefined when nothing is left for them.
 */
export async function nextTask(ports: FulfillmentPorts, waveId: string, caller: string) {
  const wave = await ports.store.getWave(waveId);
  if (!wave) throw new WaveNotFound(waveId);
  const { claimTimeoutSeconds } = await readSettings(ports, wave.locationId);
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const now = ports.clock();
    const at = now.toISOString();
    const tasks = await ports.store.tasksOf(waveId);
    const mine = tasks.find((t) => t.status === 'claimed' && t.claimedBy === caller);
    if (mine) {
      if (await ports.store.touchTask(mine, caller, at)) return { ...mine, touchedAt: at };
      continue;
    }
    const expired = now.getTime() - claimTimeoutSeconds * 1000;
    const candidates = tasks.filter(
      (t) => t.status === 'open' || (t.status === 'claimed' && lastTouch(t) < expired),
    );
    if (candidates.length === 0) return undefined;
    for (const task of candidates) {
      if (await ports.store.claimTask(task, caller, at)) {
        const { binScannedAt: _scanned, ...rest } = task;
        return { ...rest, status: 'claimed' as const, claimedBy: caller, claimedAt: at, touchedAt: at };
      }
    }
  }
  throw new FulfillmentContention(`Wave ${waveId}'s tasks`);
}

async function loadTask(ports: FulfillmentPorts, taskId: string) {
  const task = await ports.store.getTask(taskId);
  if (!task) throw new PickTaskNotFound(taskId);
  return task;
}

function requireClaim(task: StoredTask, caller: string) {
  if (isClosed(task)) throw new TaskClosed(task.taskId, task.status);
  if (task.status !== 'claimed' || task.claimedBy !== caller)
    throw new TaskNotClaimed(task.taskId, task.claimedBy);
}

/** True when `code` is the scan code of another bin at the task's location. */
async function isOtherBin(ports: FulfillmentPorts, task: StoredTask, code: string) {
  const codes = await ports.inventory.binCodesAt(task.locationId);
  for (const [binId, binCode] of codes)
    if (binId !== task.binId && (binCode === code || binId === code)) return true;
  return false;
}

/**
 * A scan on the caller's task. The bin first (else SCAN_BIN_FIRST; another bin's code is
 * WRONG_BIN), then units: one of the task's codes (else WRONG_ITEM), `quantity` of them (past
 * what is left: OVER_PICK). An accepted unit scan moves the units bin → STAGING through
 * inventory, then records them on the task and its fulfillments in one transaction. A refused
 * scan records nothing; a repeated `scanId` changes nothing twice.
 */
export async function scan(
  ports: FulfillmentPorts,
  taskId: string,
  input: { code: string; quantity?: number; scanId?: string },
  ctx: PickCtx,
) {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const task = await loadTask(ports, taskId);
    if (input.scanId && task.scanIds?.includes(input.scanId))
      return scanResult(await afterRepeat(ports, task));
    requireClaim(task, ctx.actor);
    const at = ports.clock().toISOString();
    const code = input.code.trim();
    const isBin = code === task.binCode || code === task.binId;
    const isUnit = task.barcodes.includes(code);
    if (!task.binScannedAt || (isBin && !isUnit)) {
      if (!isBin) {
        if (await isOtherBin(ports, task, code)) throw new WrongBin(taskId, code, task.binCode);
        throw new ScanBinFirst(taskId, task.binCode);
      }
      if (await ports.store.touchTask(task, ctx.actor, at, task.binScannedAt ?? at)) {
        return scanResult({ ...task, binScannedAt: task.binScannedAt ?? at });
      }
      continue;
    }
    if (!isUnit) {
      if (await isOtherBin(ports, task, code)) throw new WrongBin(taskId, code, task.binCode);
      throw new WrongItem(taskId, code, task.sku);
    }
    const quantity = input.quantity ?? 1;
    const left = task.quantity - task.pickedQuantity;
    if (quantity > left) throw new OverPick(taskId, quantity, left);
    // Units for a cancelled fulfillment are refused before they move (the read is reused below).
    const live = await liveTask(ports, task);
    if (quantity > live.task.quantity - live.task.pickedQuantity) await refuseForCancelled(ports, task, live);
    // The key ties the move to this scan: a retry (same scanId, or same count before) moves nothing twice.
    const moveKey = input.scanId ? `${taskId}:scan:${input.scanId}` : `${taskId}:at:${task.pickedQuantity}`;
    const moved = await ports.inventory.moveBetweenBins(
      {
        sku: task.sku,
        locationId: task.locationId,
        fromBinId: task.binId,
        toBinId: STAGING_BIN,
        quantity,
        idempotencyKey: moveKey,
        reason: `pick ${taskId}`,
      },
      ctx,
    );
    const recorded = await recordUnits(ports, taskId, quantity, {
      ...(input.scanId ? { scanId: input.scanId } : {}),
      before: task.pickedQuantity,
      applied: moved.applied,
      moveKey,
      ctx,
      seen: live.found,
    });
    return scanResult(recorded);
  }
  throw new FulfillmentContention(`Task ${taskId}`);
}

/** Spreads `quantity` over the task's allocations in order; answers what each got. */
function spread(task: StoredTask, quantity: number) {
  let left = quantity;
  const given: { fulfillmentId: string; lineId: string; quantity: number }[] = [];
  const allocations = task.allocations.map((a) => {
    const take = Math.min(left, Math.max(0, a.quantity - a.picked));
    left -= take;
    if (take > 0) given.push({ fulfillmentId: a.fulfillmentId, lineId: a.lineId, quantity: take });
    return { ...a, picked: a.picked + take };
  });
  return { allocations, given };
}

/** Every line picked (a line shorted to nothing counts as complete). */
const allPicked = (f: Pick<Fulfillment, 'lines'>) => f.lines.every((l) => l.picked >= l.quantity);
const allShorted = (f: Pick<Fulfillment, 'lines'>) => f.lines.every((l) => l.quantity === 0);

/** The fulfillments' changes for units picked (and, for a short pick, written off) on one task. */
async function fulfillmentChanges(
  ports: FulfillmentPorts,
  sku: string,
  picked: readonly { fulfillmentId: string; lineId: string; quantity: number }[],
  shorted: readonly { fulfillmentId: string; lineId: string; quantity: number }[],
  at: string,
  read: readonly Fulfillment[],
): Promise<FulfillmentChange[]> {
  const ids = [...new Set([...picked, ...shorted].map((g) => g.fulfillmentId))];
  const known = read.filter((f) => ids.includes(f.fulfillmentId));
  const found = known.length === ids.length ? known : await ports.store.getMany(ids);
  return found.map((before) => {
    const lines = before.lines.map((l) => ({ ...l }));
    const line = (lineId: string) => lines.find((l) => l.lineId === lineId && l.sku === sku);
    for (const g of picked.filter((p) => p.fulfillmentId === before.fulfillmentId)) {
      const l = line(g.lineId);
      if (l) l.picked += g.quantity;
    }
    for (const g of shorted.filter((p) => p.fulfillmentId === before.fulfillmentId)) {
      const l = line(g.lineId);
      if (l) {
        l.shorted += g.quantity;
        l.quantity = Math.max(0, l.quantity - g.quantity);
      }
    }
    let status: FulfillmentStatus = before.status;
    if (before.status === 'waved' || before.status === 'picking') {
      status = allShorted({ lines }) ? 'cancelled' : allPicked({ lines }) ? 'picked' : 'picking';
    }
    return { before, patch: { lines, status, updatedAt: at } };
  });
}

/**
 * Records `quantity` units a scan moved to STAGING, retrying on a concurrent change. A move that
 * an earlier attempt already recorded is answered as it stands; units that no longer fit the task
 * (a concurrent scan took the rest) go back to their bin and the scan is refused OVER_PICK.
 */
async function recordUnits(
  ports: FulfillmentPorts,
  taskId: string,
  quantity: number,
  opts: {
    scanId?: string;
    before: number;
    applied: boolean;
    moveKey: string;
    ctx: PickCtx;
    /** The task's fulfillments as the caller just read them (first attempt only). */
    seen?: readonly Fulfillment[];
  },
): Promise<StoredTask> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const stored = await loadTask(ports, taskId);
    if (opts.scanId && stored.scanIds?.includes(opts.scanId)) return afterRepeat(ports, stored);
    // No scan id and the move was a repeat: recorded already unless the count still stands where it was.
    if (!opts.scanId && !opts.applied && stored.pickedQuantity !== opts.before) return stored;
    // A fulfillment cancelled since the scan was checked takes none of the units (the versions in
    // the transaction below catch a cancel asked after this read).
    const live = await liveTask(ports, stored, attempt === 0 ? opts.seen : undefined);
    const task = live.task;
    if (task.pickedQuantity + quantity > task.quantity || isClosed(task)) {
      await ports.inventory.moveBetweenBins(
        {
          sku: task.sku,
          locationId: task.locationId,
          fromBinId: STAGING_BIN,
          toBinId: task.binId,
          quantity,
          idempotencyKey: `${opts.moveKey}:undo`,
          reason: `pick ${taskId} undone`,
        },
        opts.ctx,
      );
      if (!isClosed(stored) && stored.pickedQuantity + quantity <= stored.quantity)
        await refuseForCancelled(ports, stored, live);
      throw new OverPick(taskId, quantity, Math.max(0, task.quantity - task.pickedQuantity));
    }
    const now = ports.clock();
    const at = now.toISOString();
    const { allocations, given } = spread(task, quantity);
    const pickedQuantity = task.pickedQuantity + quantity;
    const done = pickedQuantity >= task.quantity;
    const patch: Partial<StoredTask> = {
      pickedQuantity,
      allocations,
      ...(live.withdrawn.length ? { quantity: task.quantity } : {}),
      touchedAt: at,
      ...(opts.scanId ? { scanIds: [...(task.scanIds ?? []), opts.scanId] } : {}),
      ...(done ? { status: 'done' as const, doneAt: at } : {}),
    };
    const changes = await fulfillmentChanges(ports, task.sku, given, [], at, live.found);
    const ok = await ports.store.recordPick(
      { task: stored, patch },
      changes,
      done ? measured(task, pickedQuantity, now) : undefined,
    );
    if (!ok) continue;
    const after = { ...stored, ...patch } as StoredTask;
    await afterRecord(ports, after, changes, task.pickedQuantity === 0);
    return after;
  }
  throw new FulfillmentContention(`Task ${taskId}`);
}

/** Units and seconds a finished task adds to the location's measured pick rate (claim to done). */
function measured(task: StoredTask, units: number, now: Date) {
  const since = Date.parse(task.claimedAt ?? now.toISOString());
  return {
    locationId: task.locationId,
    units,
    seconds: Math.max(0, Math.round((now.getTime() - since) / 1000)),
  };
}

/** The wave's status follows its tasks; workflows hear of fulfillments that reached `picked`. */
async function afterRecord(
  ports: FulfillmentPorts,
  task: StoredTask,
  changes: readonly FulfillmentChange[],
  firstScan: boolean,
) {
  if (firstScan) await ports.store.setWaveStatus(task.waveId, ['released'], 'picking');
  if (isClosed(task)) {
    const tasks = await ports.store.tasksOf(task.waveId);
    if (tasks.every((t) => t.taskId === task.taskId || isClosed(t))) {
      await ports.store.setWaveStatus(task.waveId, ['released', 'picking'], 'picked');
    }
  }
  const picked = changes.filter((c) => c.patch.status === 'picked' && c.before.status !== 'picked');
  await signalAll(
    ports,
    picked.map((c) => c.before.fulfillmentId),
    'picked',
  );
  for (const c of changes.filter((c) => c.patch.status === 'cancelled' && c.before.status !== 'cancelled')) {
    try {
      await ports.signals.cancel(c.before.fulfillmentId, 'every unit was short at picking');
    } catch (error) {
      logger.error('Workflow cancel failed', {
        error: error as Error,
        fulfillmentId: c.before.fulfillmentId,
      });
    }
  }
}

/**
 * A repeat of a recorded scan or short: nothing is written again, but the signals (and a short's
 * events, same ids) are sent again, in case the first attempt stopped before sending them.
 */
async function afterRepeat(ports: FulfillmentPorts, task: StoredTask): Promise<StoredTask> {
  const ids = [...new Set(task.allocations.map((a) => a.fulfillmentId))];
  const found = await ports.store.getMany(ids);
  await signalAll(
    ports,
    found.filter((f) => f.status === 'picked').map((f) => f.fulfillmentId),
    'picked',
  );
  return task;
}

/**
 * A short pick on the caller's task: `quantityFound` units are picked as by scans, the rest was
 * not in the bin. For each fulfillment the short units are written off through inventory
 * (`shortPickReservation`: the reservation, onHand, reserved and the bin shrink together) and the
 * lines' quantities drop; the task is `short` with a count requested; PickShorted per fulfillment
 * (kit components as their kit line) sends the short part back to order release. A fulfillment
 * left with nothing to pick is cancelled.
 */
export async function shortPick(
  ports: FulfillmentPorts,
  taskId: string,
  input: { quantityFound: number; reason: string },
  ctx: PickCtx,
) {
  let task = await loadTask(ports, taskId);
  if (task.status === 'short') return scanResult(await republishShort(ports, task, ctx));
  requireClaim(task, ctx.actor);
  // One short per task: its found units are recorded under a fixed scan id, so a retry skips them.
  const scanId = 'short:found';
  const foundBefore = task.scanIds?.includes(scanId) ?? false;
  const left = task.quantity - task.pickedQuantity;
  if (!foundBefore && input.quantityFound > left) throw new OverPick(taskId, input.quantityFound, left);
  if (!foundBefore && input.quantityFound > 0) {
    // Found units for a cancelled fulfillment stay in the bin, as with a scan.
    const live = await liveTask(ports, task);
    if (input.quantityFound > live.task.quantity - live.task.pickedQuantity)
      await refuseForCancelled(ports, task, live);
    const moveKey = `${taskId}:scan:${scanId}`;
    const moved = await ports.inventory.moveBetweenBins(
      {
        sku: task.sku,
        locationId: task.locationId,
        fromBinId: task.binId,
        toBinId: STAGING_BIN,
        quantity: input.quantityFound,
        idempotencyKey: moveKey,
        reason: `pick ${taskId}`,
      },
      ctx,
    );
    task = await recordUnits(ports, taskId, input.quantityFound, {
      scanId,
      before: task.pickedQuantity,
      applied: moved.applied,
      moveKey,
      ctx,
      seen: live.found,
    });
    // The found units were all that was left: nothing is short after all.
    if (task.status === 'done') return scanResult(task);
  }

  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const stored = await loadTask(ports, taskId);
    if (stored.status === 'short') return scanResult(await republishShort(ports, stored, ctx));
    requireClaim(stored, ctx.actor);
    // Cancelled fulfillments' units are not short (their reservation is gone): the task drops them.
    const live = await liveTask(ports, stored);
    task = live.task;
    const shortQuantity = task.quantity - task.pickedQuantity;
    const shorts: NonNullable<StoredTask['shorts']> = [];
    const allocations = task.allocations.map((a) => {
      const n = Math.max(0, a.quantity - a.picked);
      if (n > 0) shorts.push({ fulfillmentId: a.fulfillmentId, lineId: a.lineId, quantity: n });
      return { ...a, quantity: a.picked };
    });
    const changes = await fulfillmentChanges(
      ports,
      task.sku,
      [],
      shorts,
      ports.clock().toISOString(),
      live.found,
    );
    // Inventory first (idempotent per task × fulfillment): a retry after a lost reply repeats it harmlessly.
    for (const change of changes) {
      const units = shorts
        .filter((s) => s.fulfillmentId === change.before.fulfillmentId)
        .reduce((sum, s) => sum + s.quantity, 0);
      await ports.inventory.shortPickReservation(
        {
          reservationId: change.before.reservationId,
          sku: task.sku,
          locationId: task.locationId,
          binId: task.binId,
          quantity: units,
          idempotencyKey: `${taskId}:short:${change.before.fulfillmentId}`,
          reason: input.reason,
        },
        ctx,
      );
    }
    const now = ports.clock();
    const at = now.toISOString();
    const patch: Partial<StoredTask> = {
      status: 'short',
      allocations,
      ...(live.withdrawn.length ? { quantity: task.quantity } : {}),
      shortQuantity,
      shorts,
      shortAt: at,
      shortReason: input.reason,
      shortBy: ctx.actor,
      countRequested: true,
      touchedAt: at,
      doneAt: at,
    };
    const ok = await ports.store.recordPick(
      { task: stored, patch },
      changes,
      task.pickedQuantity > 0 ? measured(task, task.pickedQuantity, now) : undefined,
    );
    if (!ok) continue;
    const after = { ...stored, ...patch } as StoredTask;
    await publishShorts(
      ports,
      after,
      changes.map((c) => c.before),
      ctx,
    );
    await afterRecord(ports, after, changes, false);
    return scanResult(after);
  }
  throw new FulfillmentContention(`Task ${taskId}`);
}

/** PickShorted per fulfillment, in order-line terms: a kit component short shorts ceil(n / per kit) kits. */
async function publishShorts(
  ports: FulfillmentPorts,
  task: StoredTask,
  fulfillments: readonly Fulfillment[],
  ctx: PickCtx,
) {
  const at = task.shortAt ?? ports.clock().toISOString();
  const events = fulfillments.flatMap((f) => {
    const lines = (task.shorts ?? [])
      .filter((s) => s.fulfillmentId === f.fulfillmentId && s.quantity > 0)
      .map((s) => {
        const line = f.lines.find((l) => l.lineId === s.lineId && l.sku === task.sku);
        if (line?.kitSku) {
          return {
            lineId: s.lineId,
            sku: line.kitSku,
            quantity: Math.ceil(s.quantity / (line.unitsPerKit ?? 1)),
          };
        }
        return { lineId: s.lineId, sku: task.sku, quantity: s.quantity };
      });
    if (lines.length === 0) return [];
    return [
      fulfillmentEvent(
        PickShorted,
        {
          fulfillmentId: f.fulfillmentId,
          orderId: f.orderId,
          channelId: f.channelId,
          locationId: f.locationId,
          reservationId: f.reservationId,
          taskId: task.taskId,
          binId: task.binId,
          lines,
          reason: task.shortReason ?? 'short',
          at,
          countRequested: true,
        },
        `${task.taskId}#${f.fulfillmentId}`,
        at,
        ctx.correlationId,
      ),
    ];
  });
  if (events.length) await ports.events.publish(events);
}

/** A repeated short: the same events again (same ids) and the signals, nothing written. */
async function republishShort(ports: FulfillmentPorts, task: StoredTask, ctx: PickCtx) {
  const ids = [...new Set((task.shorts ?? []).map((s) => s.fulfillmentId))];
  const found = await ports.store.getMany(ids);
  await publishShorts(ports, task, found, ctx);
  await afterRepeat(ports, task);
  return task;
}
