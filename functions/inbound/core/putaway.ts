import { BinBusy, BinFull, NotAStorageBin, PutawayTaskNotFound } from '../errors.ts';
import { PutawayCompleted } from '../events/putaway-completed.ts';
import type { PutawayTask } from '../schemas/putaway.ts';
import { fingerprintOf, inboundEvent } from './fingerprint.ts';
import type { Actor, PutawayBin, PutawayPorts } from './ports.ts';

/** Bins putaway never suggests nor accepts: the dock's and the pickers' staging. */
const NOT_STORAGE = new Set(['RECEIVING', 'STAGING']);
const RECEIVING = 'RECEIVING';

/** A good scan's task id: derived from asnId + scanId, so a retried scan or the close make it once. */
export const putawayTaskId = (asnId: string, scanId: string) =>
  `pt-${fingerprintOf(`${asnId}\n${scanId}`).slice(0, 32)}`;

/** A restocked return line's task id: derived from the return and its inspection line, so a repeat makes it once. */
export const returnPutawayTaskId = (returnId: string, key: string) =>
  `pt-${fingerprintOf(`return\n${returnId}\n${key}`).slice(0, 32)}`;

/** The movement key of a task's bin move: one per task, so a repeated confirm moves once. */
const moveKey = (taskId: string) => `putaway:${taskId}`;

const isStorageBin = (b: PutawayBin) =>
  !NOT_STORAGE.has(b.binId) && b.type !== 'receiving' && b.type !== 'staging';

const held = (b: PutawayBin) => b.contents.reduce((n, c) => n + c.quantity, 0);

/** Units the bin can still take (a bin without capacity takes any number). */
const free = (b: PutawayBin, planned: number) =>
  b.capacity === undefined ? Number.POSITIVE_INFINITY : b.capacity - held(b) - planned;

const byWalk = (a: PutawayBin, b: PutawayBin) => a.walkOrder - b.walkOrder || a.binId.localeCompare(b.binId);

/**
 * The bin to suggest for `quantity` units of `sku`: a storage bin already holding the SKU with
 * room for all of them first (consolidation), then a bin with room in `zone` (the zone of the
 * SKU's ABC class, when one is set), else any storage bin with room, each in walk order; never
 * RECEIVING or STAGING. `planned` is what earlier suggestions already claim per bin.
 */
export function suggestBin(
  bins: readonly PutawayBin[],
  sku: string,
  quantity: number,
  planned: ReadonlyMap<string, number> = new Map(),
  zone?: string,
): string | undefined {
  const fits = bins
    .filter(isStorageBin)
    .filter((b) => free(b, planned.get(b.binId) ?? 0) >= quantity)
    .sort(byWalk);
  const holding = fits.find((b) => b.contents.some((c) => c.sku === sku && c.quantity > 0));
  const inZone = zone === undefined ? undefined : fits.find((b) => b.zone === zone);
  return (holding ?? inZone ?? fits[0])?.binId;
}

export interface PutawayTaskView {
  taskId: string;
  sku: string;
  quantity: number;
  /** Null when no storage bin has room for all the units. */
  suggestedBinId: string | null;
}

/**
 * Open tasks of a location, oldest first, each with a bin suggested from the current bin stock
 * and the zone of the SKU's ABC class; a bin suggested to an earlier task counts those units as already in it.
 */
export async function openPutawayTasks(
  ports: PutawayPorts,
  locationId: string,
): Promise<{ items: PutawayTaskView[] }> {
  const [tasks, bins] = await Promise.all([ports.tasks.openAt(locationId), ports.bins.at(locationId)]);
  const zones = await ports.zones([...new Set(tasks.map((t) => t.sku))]);
  const planned = new Map<string, number>();
  const items = tasks.map((t) => {
    const binId = suggestBin(bins, t.sku, t.quantity, planned, zones.get(t.sku));
    if (binId) planned.set(binId, (planned.get(binId) ?? 0) + t.quantity);
    return { taskId: t.taskId, sku: t.sku, quantity: t.quantity, suggestedBinId: binId ?? null };
  });
  return { items };
}

/** The bin a scanned code names at the location: its barcode first, else its id. */
function binFor(bins: readonly PutawayBin[], code: string): PutawayBin | undefined {
  return bins.find((b) => b.barcode === code) ?? bins.find((b) => b.binId === code);
}

const seconds = (from: string, to: string) =>
  Math.max(0, Math.round((Date.parse(to) - Date.parse(from)) / 1000));

/**
 * Confirms a task at a bin: the task is claimed for the bin, its units move from RECEIVING to the bin through inventory's bin move
 * (idempotent by a key from the taskId), the task is done with putAwayAt and dock-to-stock, and
 * PutawayCompleted is published (its id derived from the task). Refused with nothing moved: an
 * unknown bin (409 UNKNOWN_BIN), RECEIVING or STAGING (409 NOT_A_STORAGE_BIN), units beyond the
 * bin's capacity (409 BIN_FULL), the bin kept busy by other confirms (409 BIN_BUSY). A bin with a
 * capacity is checked and filled under its lease, one confirm at a time. A task already done
 * answers as it is.
 */
export async function confirmPutaway(
  ports: PutawayPorts,
  taskId: string,
  binCode: string,
  who: Actor,
): Promise<PutawayTask> {
  const task = await ports.tasks.task(taskId);
  if (!task) throw new PutawayTaskNotFound(taskId);
  if (task.status === 'done') {
    await publishCompleted(ports, task, who);
    return task;
  }
  const bins = await ports.bins.at(task.locationId);
  const bin = binFor(bins, binCode);
  if (!bin || !isStorageBin(bin)) {
    throw new NotAStorageBin({
      taskId,
      binCode,
      locationId: task.locationId,
      ...(bin ? { binId: bin.binId } : {}),
    });
  }
  // Capacity is checked and used under the bin's lease: two confirms into one nearly full bin
  // would otherwise both read room for their units and both move. A bin without capacity takes
  // any number of units, so it needs no lease.
  const owner = bin.capacity === undefined ? undefined : await leaseBin(ports, task, bin.binId);
  let claimedElsewhere = false;
  try {
    // A task already claimed for this bin may have moved its units before a crash: they would be
    // counted in what the bin holds, so only the bin's own stock must fit.
    const retry = task.binId === bin.binId;
    if (bin.capacity !== undefined) {
      // Read after the lease, consistently, so the previous holder's move is in it: the SKUs the
      // bin held at the read above, plus every SKU putaway ever moved into it (that read comes
      // from an index, which may not show a move committed a moment ago), each SKU's bin stock
      // from its own consistent read.
      const putInto = await ports.tasks.skusPutInto(task.locationId, bin.binId);
      const skus = [...new Set([...bin.contents.map((c) => c.sku), ...putInto, task.sku])];
      const holds = await ports.bins.held(task.locationId, bin.binId, skus);
      if (bin.capacity - holds < (retry ? 0 : task.quantity)) {
        throw new BinFull({
          taskId,
          binId: bin.binId,
          capacity: bin.capacity,
          holds,
          quantity: task.quantity,
        });
      }
    }
    claimedElsewhere = !retry && !(await ports.tasks.claim(taskId, bin.binId));
    if (!claimedElsewhere) {
      if (owner) await ports.tasks.notePutInto(task.locationId, bin.binId, task.sku);
      await ports.bins.move(
        {
          sku: task.sku,
          locationId: task.locationId,
          fromBinId: RECEIVING,
          toBinId: bin.binId,
          quantity: task.quantity,
          idempotencyKey: moveKey(taskId),
          reason: task.returnId
            ? `putaway of return ${task.returnId}`
            : `putaway of ASN ${task.asnId} (PO ${task.poId})`,
        },
        who,
      );
    }
  } finally {
    if (owner) await ports.tasks.releaseBin(task.locationId, bin.binId, owner);
  }
  // Another confirm of this task got there first: answer from what it did (lease given back).
  if (claimedElsewhere) return confirmPutaway(ports, taskId, binCode, who);
  const putAwayAt = ports.clock().toISOString();
  const firstScanAt = (await ports.receipts.receipt(task.asnId)).receipt?.firstScanAt;
  const done: PutawayTask = {
    ...task,
    status: 'done',
    binId: bin.binId,
    putAwayAt,
    putAwayBy: who.actor,
    ...(firstScanAt ? { dockToStockSeconds: seconds(firstScanAt, putAwayAt) } : {}),
  };
  if (!(await ports.tasks.complete(done))) {
    // A concurrent confirm finished it first (the move is one per task either way).
    const now = await ports.tasks.task(taskId);
    if (now?.status === 'done') return confirmPutaway(ports, taskId, binCode, who);
  }
  await publishCompleted(ports, done, who);
  return done;
}

/** How long a confirm may hold a bin: far beyond a move's time, short enough after a crash. */
const LEASE_MS = 10_000;
/** Attempts at a busy bin's lease before 409 BIN_BUSY, with a jittered wait between them. */
const LEASE_ATTEMPTS = 6;

/**
 * Takes the bin's putaway lease for this confirm (a fresh owner id, so a retry of the same task
 * never mistakes an older attempt's lease for its own); 409 BIN_BUSY when it stays taken.
 */
async function leaseBin(ports: PutawayPorts, task: PutawayTask, binId: string): Promise<string> {
  const owner = `${task.taskId}#${crypto.randomUUID()}`;
  for (let attempt = 1; ; attempt++) {
    if (await ports.tasks.leaseBin(task.locationId, binId, owner, ports.clock(), LEASE_MS)) return owner;
    if (attempt === LEASE_ATTEMPTS) throw new BinBusy({ taskId: task.taskId, binId });
    // Jitter spreads the waiters so they do not all come back at the same instant.
    await ports.pause(50 * attempt + Math.floor(Math.random() * 100));
  }
}

async function publishCompleted(ports: PutawayPorts, task: PutawayTask, who: Actor) {
  if (!task.binId || !task.putAwayAt) return;
  await ports.events.publish([
    inboundEvent(
      PutawayCompleted,
      {
        taskId: task.taskId,
        asnId: task.asnId,
        poId: task.poId,
        scanId: task.scanId,
        locationId: task.locationId,
        sku: task.sku,
        quantity: task.quantity,
        binId: task.binId,
        putAwayAt: task.putAwayAt,
        ...(task.dockToStockSeconds === undefined ? {} : { dockToStockSeconds: task.dockToStockSeconds }),
      },
      task.taskId,
      task.putAwayAt,
      who.correlationId,
    ),
  ]);
}
