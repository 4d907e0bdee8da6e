import { DomainError } from '#shared/errors';
import { derivedEvent } from '#shared/events';
import { fingerprintOf } from '../../core/fingerprint.ts';
import { CountSubmitted } from '../../events/count-submitted.ts';
import { CountVariancePosted } from '../../events/count-variance-posted.ts';
import {
  BinTooBigToCount,
  CountAlreadySubmitted,
  CountTaskNotFound,
  CountVarianceNotFound,
  UnknownCountReference,
  VarianceDecided,
} from '../errors.ts';
import {
  type AbcClass,
  type CountLine,
  type CountOrigin,
  type CountSettings,
  type CountSettingsBody,
  type CountTask,
  type CountVariance,
  type CreateCountBody,
  DEFAULT_COUNT_SETTINGS,
  type VarianceStatus,
} from '../schemas.ts';
import { type AbcRow, binClass, classify } from './abc.ts';
import type { Actor, CountBin, CountPorts } from './ports.ts';
import { withinTolerance } from './tolerance.ts';

/** Bins the floor never counts by class or schedule: the dock's and the pickers' staging. */
const NOT_STORAGE = new Set(['RECEIVING', 'STAGING']);
const isStorage = (b: CountBin) =>
  !NOT_STORAGE.has(b.binId) && b.type !== 'receiving' && b.type !== 'staging';

/** Value velocity is measured over the current and the two previous calendar months. */
export const VELOCITY_MONTHS = 3;

/** A transaction takes 100 items: the task, its bin, the audit record, and at most this many variances. */
const MAX_VARIANCES = 95;

export async function countSettings(ports: Pick<CountPorts, 'store'>): Promise<CountSettings> {
  return (await ports.store.settings()) ?? DEFAULT_COUNT_SETTINGS;
}

/** Replaces the settings; a part left out keeps its default (not its previous value): PUT is the whole. */
export async function putCountSettings(ports: CountPorts, body: CountSettingsBody): Promise<CountSettings> {
  const next: CountSettings = {
    abcCutoffs: body.abcCutoffs ?? DEFAULT_COUNT_SETTINGS.abcCutoffs,
    tolerance: body.tolerance ?? DEFAULT_COUNT_SETTINGS.tolerance,
    intervalDays: body.intervalDays ?? DEFAULT_COUNT_SETTINGS.intervalDays,
    ...(body.putawayZones ? { putawayZones: body.putawayZones } : {}),
  };
  await ports.store.putSettings(next);
  return next;
}

/** The months (yyyy-mm, newest first) whose shipments make the value velocity at `now`. */
export function velocityMonths(now: Date, count = VELOCITY_MONTHS): string[] {
  return Array.from({ length: count }, (_, i) => {
    const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - i, 1));
    return d.toISOString().slice(0, 7);
  });
}

export interface AbcAnswer {
  months: string[];
  cutoffs: CountSettings['abcCutoffs'];
  /** SKUs that shipped or have a unit cost, by value; any other SKU is C. */
  items: AbcRow[];
}

export async function abcClasses(ports: CountPorts): Promise<AbcAnswer> {
  const months = velocityMonths(ports.clock());
  const [settings, velocity] = await Promise.all([countSettings(ports), ports.store.velocity(months)]);
  return { months, cutoffs: settings.abcCutoffs, items: classify(velocity, settings.abcCutoffs) };
}

const classMap = async (ports: CountPorts) =>
  new Map((await abcClasses(ports)).items.map((r) => [r.sku, r.class] as const));

/**
 * The zone putaway should prefer for each SKU: the `putawayZones` entry of its ABC class (a SKU
 * without a class is C); a SKU whose class has no zone is left out.
 */
export async function putawayZonesFor(
  ports: CountPorts,
  skus: readonly string[],
): Promise<Map<string, string>> {
  const zones = (await countSettings(ports)).putawayZones;
  if (!zones || skus.length === 0) return new Map();
  const classes = await classMap(ports);
  const out = new Map<string, string>();
  for (const sku of skus) {
    const zone = zones[classes.get(sku) ?? 'C'];
    if (zone) out.set(sku, zone);
  }
  return out;
}

/** The counter's view of a task: never the expected units, nor what the system holds in the bin. */
export interface CountTaskView {
  taskId: string;
  locationId: string;
  binId: string;
  binCode?: string;
  zone?: string;
  status: CountTask['status'];
  origin: CountOrigin;
  class?: AbcClass;
  createdAt: string;
  submittedAt?: string;
  submittedBy?: string;
  counts?: { sku: string; quantity: number }[];
}

/** Field by field, so nothing the task keeps for supervisors (lines, expected) can slip through. */
export function blindView(task: CountTask, bin?: CountBin): CountTaskView {
  return {
    taskId: task.taskId,
    locationId: task.locationId,
    binId: task.binId,
    ...(bin?.barcode ? { binCode: bin.barcode } : {}),
    ...(bin?.zone ? { zone: bin.zone } : {}),
    status: task.status,
    origin: task.origin,
    ...(task.class ? { class: task.class } : {}),
    createdAt: task.createdAt,
    ...(task.submittedAt ? { submittedAt: task.submittedAt } : {}),
    ...(task.submittedBy ? { submittedBy: task.submittedBy } : {}),
    ...(task.counts ? { counts: task.counts.map((c) => ({ sku: c.sku, quantity: c.quantity })) } : {}),
  };
}

export interface RaisedTask {
  taskId: string;
  binId: string;
  /** False when the bin already had an open task: that one is answered. */
  created: boolean;
}

/** One open task for a bin: created, or the bin's open one. */
async function raiseTask(
  ports: CountPorts,
  locationId: string,
  binId: string,
  origin: CountOrigin,
  who: Actor,
  extra: { class?: AbcClass; note?: string } = {},
): Promise<RaisedTask> {
  const task: CountTask = {
    taskId: `ct-${ports.newId()}`,
    locationId,
    binId,
    status: 'open',
    origin,
    ...extra,
    createdAt: ports.clock().toISOString(),
    createdBy: who.actor,
  };
  const out = await ports.store.createTask(task);
  return out.created
    ? { taskId: task.taskId, binId, created: true }
    : { taskId: out.openTaskId, binId, created: false };
}

/**
 * POST /api/cycle-counts: one task per bin named, or per storage bin of the class (the highest
 * class of the SKUs it holds). A bin with an open task keeps it (so a retry creates nothing new).
 */
export async function createCycleCount(
  ports: CountPorts,
  body: CreateCountBody,
  who: Actor,
): Promise<{ tasks: RaisedTask[] }> {
  if (!(await ports.locations.exists(body.locationId)))
    throw new UnknownCountReference('UNKNOWN_LOCATION', `No location ${body.locationId}`, {
      locationId: body.locationId,
    });
  const bins = await ports.bins.at(body.locationId);
  let targets: string[];
  let cls: AbcClass | undefined;
  if (body.binIds) {
    const known = new Set(bins.map((b) => b.binId));
    const unknown = body.binIds.filter((b) => !known.has(b));
    if (unknown.length)
      throw new UnknownCountReference('UNKNOWN_BIN', `No bin ${unknown.join(', ')} at ${body.locationId}`, {
        locationId: body.locationId,
        binIds: unknown,
      });
    targets = [...new Set(body.binIds)];
  } else {
    cls = body.class;
    const classes = await classMap(ports);
    targets = bins
      .filter((b) => isStorage(b) && b.contents.length > 0)
      .filter(
        (b) =>
          binClass(
            b.contents.map((c) => c.sku),
            classes,
          ) === cls,
      )
      .map((b) => b.binId);
  }
  const tasks: RaisedTask[] = [];
  // One bin after another: each is its own small transaction (and the first carries the audit record).
  for (const binId of targets)
    tasks.push(await raiseTask(ports, body.locationId, binId, 'manual', who, cls ? { class: cls } : {}));
  return { tasks };
}

/** A short pick found a bin's count in doubt: a task for it (or its open one). */
export function countAfterShortPick(
  ports: CountPorts,
  cmd: { locationId: string; binId: string; note: string },
  who: Actor,
): Promise<RaisedTask> {
  return raiseTask(ports, cmd.locationId, cmd.binId, 'short_pick', who, { note: cmd.note });
}

/**
 * The invariant checker found a SKU's stock at a location in doubt: a task for every storage bin
 * that records the SKU there (each bin's open task absorbs repeats of the check).
 */
export async function countAfterMismatch(
  ports: CountPorts,
  cmd: { sku: string; locationId: string; note: string },
  who: Actor,
): Promise<RaisedTask[]> {
  const bins = await ports.bins.at(cmd.locationId);
  const holding = bins.filter((b) => isStorage(b) && b.contents.some((c) => c.sku === cmd.sku));
  const raised: RaisedTask[] = [];
  for (const bin of holding)
    raised.push(await raiseTask(ports, cmd.locationId, bin.binId, 'mismatch', who, { note: cmd.note }));
  return raised;
}

/**
 * The schedule, once a day: at each location, storage bins holding stock are due when their
 * class interval (A 30, B 90, C 365 days by default) has passed since they were last counted, or
 * they never were. Counts are spread over the interval like a cycle count should be: a day raises
 * at most ⌈bins of the class / interval days⌉ tasks per class, never-counted bins first, then the
 * longest uncounted — so the first run after adoption does not put every bin on the floor at once.
 * A bin with an open task is skipped.
 */
export async function raiseDueCounts(ports: CountPorts, locationIds: readonly string[], who: Actor) {
  const [settings, classes] = await Promise.all([countSettings(ports), classMap(ports)]);
  const now = ports.clock().getTime();
  const raised: RaisedTask[] = [];
  for (const locationId of locationIds) {
    const [bins, states] = await Promise.all([ports.bins.at(locationId), ports.store.binStates(locationId)]);
    const stateOf = new Map(states.map((s) => [s.binId, s]));
    const stocked = bins
      .filter((b) => isStorage(b) && b.contents.length > 0)
      .map((bin) => ({
        bin,
        cls: binClass(
          bin.contents.map((c) => c.sku),
          classes,
        ),
        state: stateOf.get(bin.binId),
      }));
    for (const cls of ['A', 'B', 'C'] as const) {
      const ofClass = stocked.filter((b) => b.cls === cls);
      const interval = settings.intervalDays[cls];
      const quota = Math.ceil(ofClass.length / interval);
      const due = ofClass
        .filter(({ state }) => !state?.openTaskId)
        .filter(
          ({ state }) =>
            !state?.lastCountedAt || now - Date.parse(state.lastCountedAt) >= interval * 86_400_000,
        )
        .sort(
          (x, y) =>
            (x.state?.lastCountedAt ?? '').localeCompare(y.state?.lastCountedAt ?? '') ||
            x.bin.walkOrder - y.bin.walkOrder,
        )
        .slice(0, quota);
      for (const { bin } of due) {
        const task = await raiseTask(ports, locationId, bin.binId, 'schedule', who, { class: cls });
        if (task.created) raised.push(task);
      }
    }
  }
  return raised;
}

export async function getCountTask(ports: CountPorts, taskId: string): Promise<CountTaskView> {
  const task = await ports.store.task(taskId);
  if (!task) throw new CountTaskNotFound(taskId);
  const bin = (await ports.bins.at(task.locationId)).find((b) => b.binId === task.binId);
  return blindView(task, bin);
}

/** Open tasks of a location in walk order of their bins (then oldest first). */
export async function openCountTasks(
  ports: CountPorts,
  locationId: string,
): Promise<{ items: CountTaskView[] }> {
  const [tasks, bins] = await Promise.all([ports.store.openTasks(locationId), ports.bins.at(locationId)]);
  const byId = new Map(bins.map((b) => [b.binId, b]));
  const walk = (t: CountTask) => byId.get(t.binId)?.walkOrder ?? Number.MAX_SAFE_INTEGER;
  const items = [...tasks]
    .sort((a, b) => walk(a) - walk(b) || a.createdAt.localeCompare(b.createdAt))
    .map((t) => blindView(t, byId.get(t.binId)));
  return { items };
}

const varianceIdOf = (taskId: string, sku: string) => `cv-${fingerprintOf(`${taskId}\n${sku}`).slice(0, 24)}`;
const sortedCounts = (counts: readonly { sku: string; quantity: number }[]) =>
  [...counts].map((c) => ({ sku: c.sku, quantity: c.quantity })).sort((a, b) => (a.sku < b.sku ? -1 : 1));

/**
 * Submits a blind count of the task's bin. Every SKU the bin records and every SKU counted makes
 * a line (a SKU found but not expected counts too; one expected but not listed was counted 0).
 * Lines with a difference become variances: within tolerance `approved` and posted right away
 * through inventory, beyond it `pending` for a supervisor. The task, its bin and the variances are
 * written in one transaction. A retry with the same counts finishes what a crash left undone and
 * answers the same; other counts for a submitted task: 409 COUNT_ALREADY_SUBMITTED.
 */
export async function submitCount(
  ports: CountPorts,
  taskId: string,
  counts: readonly { sku: string; quantity: number }[],
  who: Actor,
): Promise<CountTaskView> {
  const task = await ports.store.task(taskId);
  if (!task) throw new CountTaskNotFound(taskId);
  const entered = sortedCounts(counts);
  if (task.status === 'submitted') {
    if (fingerprintOf(task.counts ?? []) !== fingerprintOf(entered)) throw new CountAlreadySubmitted(taskId);
    await finishPosting(ports, task, who);
    return blindView(task);
  }
  const known = await ports.stockSkus(entered.map((c) => c.sku));
  const unknown = entered.filter((c) => !known.has(c.sku)).map((c) => c.sku);
  if (unknown.length)
    throw new UnknownCountReference('UNKNOWN_SKU', `Unknown SKU ${unknown.join(', ')}`, { skus: unknown });
  const [bins, settings] = await Promise.all([ports.bins.at(task.locationId), countSettings(ports)]);
  const bin = bins.find((b) => b.binId === task.binId);
  // Expected is what inventory records in the bin at submit time (not at task creation): picks
  // and putaways between the two are already in it, so they never show up as variances.
  const expected = new Map((bin?.contents ?? []).map((c) => [c.sku, c.quantity]));
  const countedOf = new Map(entered.map((c) => [c.sku, c.quantity]));
  const skus = [...new Set([...expected.keys(), ...countedOf.keys()])].sort();
  const at = ports.clock().toISOString();
  const lines: CountLine[] = [];
  const variances: CountVariance[] = [];
  for (const sku of skus) {
    const exp = expected.get(sku) ?? 0;
    const counted = countedOf.get(sku) ?? 0;
    const within = withinTolerance(exp, counted, settings.tolerance);
    const line: CountLine = { sku, counted, expected: exp, delta: counted - exp, withinTolerance: within };
    if (line.delta !== 0) {
      line.varianceId = varianceIdOf(taskId, sku);
      variances.push({
        varianceId: line.varianceId,
        taskId,
        locationId: task.locationId,
        binId: task.binId,
        sku,
        expected: exp,
        counted,
        delta: line.delta,
        status: within ? 'approved' : 'pending',
        auto: within,
        countedAt: at,
        countedBy: who.actor,
      });
    }
    lines.push(line);
  }
  if (variances.length > MAX_VARIANCES)
    throw new BinTooBigToCount({ taskId, skus: variances.length, max: MAX_VARIANCES });
  const submitted: CountTask = {
    ...task,
    status: 'submitted',
    submittedAt: at,
    submittedBy: who.actor,
    counts: entered,
    lines,
  };
  if (!(await ports.store.submit(submitted, variances))) return submitCount(ports, taskId, counts, who);
  await finishPosting(ports, submitted, who);
  return blindView(submitted);
}

/** Posts the task's variances that are approved but not in the ledger yet; re-sends posted ones' events. */
async function finishPosting(ports: CountPorts, task: CountTask, who: Actor): Promise<void> {
  // Derived from the task, so a retried submit re-sends the identical event (consumers see one).
  if (task.submittedAt && task.lines) {
    await ports.events.publish([
      derivedEvent(
        CountSubmitted,
        {
          taskId: task.taskId,
          locationId: task.locationId,
          binId: task.binId,
          lines: task.lines.map((l) => ({
            sku: l.sku,
            expected: l.expected,
            counted: l.counted,
            withinTolerance: l.withinTolerance,
          })),
          submittedAt: task.submittedAt,
        },
        task.taskId,
        task.submittedAt,
        who.correlationId,
      ),
    ]);
  }
  for (const line of task.lines ?? []) {
    if (!line.varianceId) continue;
    const v = await ports.store.variance(line.varianceId);
    if (v?.status === 'approved') await postOrPark(ports, v, who);
    else if (v?.status === 'posted') await publishPosted(ports, v, who);
  }
}

/**
 * An automatic post that inventory refuses (the units are reserved for orders, or the bin no
 * longer has them) goes to the approval queue with the refusal, instead of failing the count.
 */
async function postOrPark(ports: CountPorts, v: CountVariance, who: Actor): Promise<CountVariance> {
  try {
    return await post(ports, v, who);
  } catch (e) {
    if (!(e instanceof DomainError) || e.status !== 409) throw e;
    const parked: CountVariance = { ...v, status: 'pending', blocked: { code: e.code, message: e.message } };
    await ports.store.updateVariance(parked, ['approved']);
    return parked;
  }
}

/** The ledger movement (idempotent by the variance), the variance `posted`, then its event. */
async function post(ports: CountPorts, v: CountVariance, who: Actor): Promise<CountVariance> {
  await ports.adjust(
    {
      sku: v.sku,
      locationId: v.locationId,
      binId: v.binId,
      delta: v.delta,
      reason: `cycle count ${v.taskId}: counted ${v.counted}, expected ${v.expected}`,
      idempotencyKey: `count:${v.varianceId}`,
    },
    who,
  );
  const posted: CountVariance = { ...v, status: 'posted', postedAt: ports.clock().toISOString() };
  if (!(await ports.store.updateVariance(posted, ['approved']))) {
    const now = await ports.store.variance(v.varianceId);
    if (now?.status !== 'posted') throw new VarianceDecided(v.varianceId, now?.status ?? 'gone');
    await publishPosted(ports, now, who);
    return now;
  }
  await publishPosted(ports, posted, who);
  return posted;
}

async function publishPosted(ports: CountPorts, v: CountVariance, who: Actor) {
  if (!v.postedAt) return;
  await ports.events.publish([
    derivedEvent(
      CountVariancePosted,
      {
        varianceId: v.varianceId,
        taskId: v.taskId,
        sku: v.sku,
        locationId: v.locationId,
        binId: v.binId,
        quantityDelta: v.delta,
        expected: v.expected,
        counted: v.counted,
        reason:
          v.auto && !v.decidedBy ? 'cycle count within tolerance' : (v.reason ?? 'cycle count approved'),
        auto: v.auto && !v.decidedBy,
        ...(v.decidedBy ? { approvedBy: v.decidedBy } : {}),
        postedAt: v.postedAt,
      },
      v.varianceId,
      v.postedAt,
      who.correlationId,
    ),
  ]);
}

export async function listVariances(
  ports: CountPorts,
  status: VarianceStatus,
): Promise<{ items: CountVariance[] }> {
  return { items: await ports.store.variances(status) };
}

/**
 * A supervisor approves a variance: it is claimed (`approved`, with who and why), then posted as
 * a ledger movement and announced. Inventory refusing it (units reserved, bin short) puts it back
 * to `pending` and answers the refusal. Approving again answers the posted variance, changing
 * nothing; a rejected one cannot be approved (409 VARIANCE_DECIDED).
 */
export async function approveVariance(
  ports: CountPorts,
  varianceId: string,
  reason: string,
  who: Actor,
): Promise<CountVariance> {
  const v = await ports.store.variance(varianceId);
  if (!v) throw new CountVarianceNotFound(varianceId);
  if (v.status === 'posted') {
    await publishPosted(ports, v, who);
    return v;
  }
  if (v.status === 'rejected') throw new VarianceDecided(varianceId, v.status);
  let claimed = v;
  if (v.status === 'pending') {
    const { blocked: _blocked, ...rest } = v;
    claimed = {
      ...rest,
      status: 'approved',
      decidedAt: ports.clock().toISOString(),
      decidedBy: who.actor,
      reason,
    };
    if (!(await ports.store.updateVariance(claimed, ['pending'])))
      return approveVariance(ports, varianceId, reason, who);
  }
  try {
    return await post(ports, claimed, who);
  } catch (e) {
    if (e instanceof DomainError && e.status === 409 && e.code !== 'VARIANCE_DECIDED') {
      // Back in the queue as it was, with the refusal: nothing was posted.
      await ports.store.updateVariance(
        { ...v, status: 'pending', blocked: { code: e.code, message: e.message } },
        ['approved'],
      );
    }
    throw e;
  }
}

/** A supervisor rejects a pending variance: recorded with who and why; stock is not touched. */
export async function rejectVariance(
  ports: CountPorts,
  varianceId: string,
  reason: string,
  who: Actor,
): Promise<CountVariance> {
  const v = await ports.store.variance(varianceId);
  if (!v) throw new CountVarianceNotFound(varianceId);
  if (v.status === 'rejected') return v;
  if (v.status !== 'pending') throw new VarianceDecided(varianceId, v.status);
  const { blocked: _blocked, ...rest } = v;
  const rejected: CountVariance = {
    ...rest,
    status: 'rejected',
    decidedAt: ports.clock().toISOString(),
    decidedBy: who.actor,
    reason,
  };
  if (!(await ports.store.updateVariance(rejected, ['pending'])))
    return rejectVariance(ports, varianceId, reason, who);
  return rejected;
}

export interface AccuracyFigures {
  /** SKU-bins counted (each SKU of each submitted count). */
  counted: number;
  withinTolerance: number;
  exact: number;
  /** withinTolerance / counted, 4 decimals; null when nothing was counted. */
  accuracy: number | null;
}

const figures = (lines: readonly CountLine[]): AccuracyFigures => {
  const within = lines.filter((l) => l.withinTolerance).length;
  return {
    counted: lines.length,
    withinTolerance: within,
    exact: lines.filter((l) => l.delta === 0).length,
    accuracy: lines.length ? Math.round((within / lines.length) * 10_000) / 10_000 : null,
  };
};

export interface AccuracyAnswer extends AccuracyFigures {
  locationId: string;
  /** Counts submitted since then are included. */
  from: string;
  byClass: Record<AbcClass, AccuracyFigures>;
}

/**
 * Inventory accuracy of a location from its counts submitted in the last `days`: the share of
 * counted SKU-bins within tolerance, overall and per ABC class (each SKU's class today).
 */
export async function countAccuracy(
  ports: CountPorts,
  locationId: string,
  days: number,
): Promise<AccuracyAnswer> {
  const from = new Date(ports.clock().getTime() - days * 86_400_000).toISOString();
  const [tasks, classes] = await Promise.all([ports.store.submittedTasks(locationId, from), classMap(ports)]);
  const lines = tasks.flatMap((t) => t.lines ?? []);
  const of = (cls: AbcClass) => lines.filter((l) => (classes.get(l.sku) ?? 'C') === cls);
  return {
    locationId,
    from,
    ...figures(lines),
    byClass: { A: figures(of('A')), B: figures(of('B')), C: figures(of('C')) },
  };
}
