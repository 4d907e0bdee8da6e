import { randomBytes } from 'node:crypto';
import { logger } from '#shared/powertools';
import { FulfillmentContention } from '../errors.ts';
import { CutoffAtRisk } from '../events/cutoff-at-risk.ts';
import { WaveReleased } from '../events/wave-released.ts';
import type { Fulfillment } from '../schemas/fulfillment.ts';
import { nextCutoff } from './cutoffs.ts';
import { fulfillmentEvent } from './event-ids.ts';
import { isWithdrawn } from './fulfillments.ts';
import { type BinStock, buildPickTasks } from './pick-path.ts';
import type { FulfillmentPatch, FulfillmentPorts, StoredTask, StoredWave } from './ports.ts';
import { MAX_ORDERS_PER_WAVE, readSettings } from './settings.ts';
import { planWave } from './wave-planning.ts';

/** Waves still being picked: their open tasks hold bin units and count as work ahead. */
const OPEN_WAVE_STATUSES = new Set(['released', 'picking']);
/** Released fulfillments planning looks at per location (earliest cutoff first). */
const QUEUE_LIMIT = 2_000;
/** Conflicting planners (two supervisors, the schedule): this many tries before answering 409. */
const PLAN_ATTEMPTS = 4;

export interface Ctx {
  actor: string;
  correlationId: string;
}

export type PlannedWave =
  | {
      waveId: string;
      cutoffAt?: string;
      fulfillmentIds: string[];
      taskCount: number;
      unplaced?: StoredWave['unplaced'];
    }
  | { waveId: null; unplaced?: StoredWave['unplaced'] };

const isOpenTask = (t: StoredTask) => t.status === 'open' || t.status === 'claimed';
const remaining = (t: StoredTask) => Math.max(0, t.quantity - t.pickedQuantity);
const applied = (f: Fulfillment, patch: FulfillmentPatch): Fulfillment => {
  const next = { ...f, ...patch, version: f.version + 1 } as Fulfillment;
  for (const [k, v] of Object.entries(patch))
    if (v === undefined) delete (next as unknown as Record<string, unknown>)[k];
  return next;
};

/** Sortable, URL-safe and without dots (a task id is `<waveId>.<n>`). */
function newWaveId(now: Date): string {
  const stamp = now
    .toISOString()
    .replace(/[-:TZ]/g, '')
    .slice(0, 14);
  return `W${stamp}-${randomBytes(3).toString('hex')}`;
}

async function releasedAt(ports: Pick<FulfillmentPorts, 'store'>, locationId: string) {
  const out: Fulfillment[] = [];
  let cursor: string | undefined;
  do {
    const page = await ports.store.byStatus(locationId, 'released', 500, cursor);
    // A cancel asked is still `released` until the workflow's Cancel step gets to it: not wave material.
    out.push(...page.items.filter((f) => !isWithdrawn(f)));
    cursor = page.cursor;
  } while (cursor && out.length < QUEUE_LIMIT);
  return out;
}

/** Open tasks of the location's open waves: units they promise per bin × SKU, and units still to pick. */
async function openWork(ports: Pick<FulfillmentPorts, 'store'>, locationId: string) {
  const waves: StoredWave[] = [];
  let cursor: string | undefined;
  // Newest first; open waves are recent, but a forgotten one still holds its bins.
  do {
    const page = await ports.store.wavesAt(locationId, 200, cursor);
    waves.push(...page.items.filter((w) => OPEN_WAVE_STATUSES.has(w.status)));
    cursor = page.cursor;
  } while (cursor);
  const tasks = (await Promise.all(waves.map((w) => ports.store.tasksOf(w.waveId))))
    .flat()
    .filter(isOpenTask);
  const committed = new Map<string, number>();
  let unitsAhead = 0;
  for (const t of tasks) {
    const key = `${t.binId}#${t.sku}`;
    committed.set(key, (committed.get(key) ?? 0) + remaining(t));
    unitsAhead += remaining(t);
  }
  return { committed, unitsAhead };
}

/**
 * A fulfillment whose cutoff passed rolls to the carrier's next one (and one created before any
 * carrier served it gets its first); its at-risk flag belongs to the old cutoff and is cleared.
 */
async function rollCutoffs(
  ports: Pick<FulfillmentPorts, 'store' | 'carriers' | 'inventory'>,
  locationId: string,
  queue: Fulfillment[],
  now: Date,
): Promise<Fulfillment[]> {
  const stale = queue.filter((f) => f.cutoffAt === undefined || Date.parse(f.cutoffAt) < now.getTime());
  if (stale.length === 0) return queue;
  const [carriers, timeZone] = await Promise.all([
    ports.carriers.all(),
    ports.inventory.timeZoneOf(locationId),
  ]);
  const rolled = new Map<string, Fulfillment>();
  for (const f of stale) {
    const next = nextCutoff(carriers, locationId, f.serviceLevel, timeZone, now);
    if (!next && f.cutoffAt === undefined) continue;
    const patch: FulfillmentPatch = {
      cutoffAt: next?.cutoffAt,
      carrierId: next?.carrierId,
      serviceCode: next?.serviceCode,
      atRisk: undefined,
      updatedAt: now.toISOString(),
    };
    if (await ports.store.update(f, patch)) rolled.set(f.fulfillmentId, applied(f, patch));
  }
  // One that moved on meanwhile (waved, cancelled) is left out of this plan.
  return queue
    .map((f) => rolled.get(f.fulfillmentId) ?? f)
    .filter((f) => f.cutoffAt === undefined || Date.parse(f.cutoffAt) >= now.getTime());
}

/** Marks each newly at-risk fulfillment (once per cutoff) and announces it with CutoffAtRisk. */
async function raiseAtRisk(
  ports: Pick<FulfillmentPorts, 'store' | 'events'>,
  queue: Map<string, Fulfillment>,
  atRisk: { fulfillmentId: string; minutesLeft: number; minutesNeeded: number }[],
  now: Date,
  ctx: Ctx,
) {
  const at = now.toISOString();
  for (const risk of atRisk) {
    const f = queue.get(risk.fulfillmentId);
    if (!f?.cutoffAt || f.atRisk) continue;
    const patch: FulfillmentPatch = { atRisk: true, updatedAt: at };
    if (!(await ports.store.update(f, patch))) continue;
    queue.set(f.fulfillmentId, applied(f, patch));
    await ports.events.publish([
      fulfillmentEvent(
        CutoffAtRisk,
        {
          fulfillmentId: f.fulfillmentId,
          orderId: f.orderId,
          locationId: f.locationId,
          cutoffAt: f.cutoffAt,
          minutesLeft: risk.minutesLeft,
          minutesNeeded: risk.minutesNeeded,
          at,
        },
        `${f.fulfillmentId}#${f.cutoffAt}`,
        at,
        ctx.correlationId,
      ),
    ]);
  }
}

/**
 * Reviews a location's queue without planning: rolls missed cutoffs and raises the at-risk ones.
 * Answers what planning needs next.
 */
async function reviewQueue(
  ports: FulfillmentPorts,
  locationId: string,
  maxOrders: number | undefined,
  ctx: Ctx,
) {
  const settings = await readSettings(ports, locationId);
  const now = ports.clock();
  const queue = await rollCutoffs(ports, locationId, await releasedAt(ports, locationId), now);
  const work = await openWork(ports, locationId);
  const limit = Math.min(MAX_ORDERS_PER_WAVE, maxOrders ?? settings.maxOrdersPerWave);
  const plan = (fulfillments: Fulfillment[]) =>
    planWave({
      now,
      fulfillments,
      unitsPerMinute: settings.unitsPerMinute,
      unitsAhead: work.unitsAhead,
      maxOrders: limit,
    });
  const byId = new Map(queue.map((f) => [f.fulfillmentId, f]));
  await raiseAtRisk(ports, byId, plan(queue).atRisk, now, ctx);
  return { now, byId, work, plan };
}

export async function reviewLocation(ports: FulfillmentPorts, locationId: string, ctx: Ctx) {
  await reviewQueue(ports, locationId, undefined, ctx);
}

/**
 * Plans the location's next wave: at-risk fulfillments first, then the earliest cutoff; tasks from
 * where the units sit now (minus what open tasks already promise); one transaction writes the wave
 * and moves its fulfillments `released` → `waved` (none moved meanwhile), then WaveReleased and
 * the workflows' `waved` signals. A fulfillment whose units no bin holds stays released (the
 * wave's `unplaced` says why) and the next fulfillments in line take its place.
 */
export async function planNextWave(
  ports: FulfillmentPorts,
  locationId: string,
  opts: { maxOrders?: number },
  ctx: Ctx,
): Promise<PlannedWave> {
  for (let attempt = 0; attempt < PLAN_ATTEMPTS; attempt++) {
    const { now, byId, work, plan } = await reviewQueue(ports, locationId, opts.maxOrders, ctx);
    const waveId = newWaveId(now);
    const unplaced: NonNullable<StoredWave['unplaced']> = [];
    const binStock = new Map<string, BinStock[]>();
    const barcodes = new Map<string, string[]>();
    let candidates = [...byId.values()];
    let chosen: Fulfillment[] = [];
    let cutoffAt: string | undefined;
    let tasks: StoredTask[] = [];
    while (candidates.length > 0 && chosen.length === 0) {
      const planned = plan(candidates);
      if (planned.fulfillmentIds.length === 0) break;
      cutoffAt = planned.cutoffAt;
      let placing = planned.fulfillmentIds.map((id) => byId.get(id) as Fulfillment);
      const skus = [...new Set(placing.flatMap((f) => f.lines.map((l) => l.sku)))].filter(
        (s) => !binStock.has(s),
      );
      const [stocks, codes] = await Promise.all([
        Promise.all(skus.map((sku) => ports.inventory.binStockOf(sku, locationId))),
        ports.barcodes(skus),
      ]);
      skus.forEach((sku, i) => {
        binStock.set(sku, stocks[i] ?? []);
        barcodes.set(sku, codes.get(sku) ?? []);
      });
      while (placing.length > 0) {
        const built = buildPickTasks({
          waveId,
          locationId,
          fulfillments: placing,
          binStock,
          committed: work.committed,
          barcodes,
        });
        if (built.unplaced.length === 0) {
          tasks = built.tasks.map((t) => ({ ...t, version: 1 }));
          break;
        }
        unplaced.push(...built.unplaced);
        const left = new Set(built.unplaced.map((u) => u.fulfillmentId));
        placing = placing.filter((f) => !left.has(f.fulfillmentId));
      }
      chosen = placing;
      // All of this group waits for stock: the next group in line may still go.
      const tried = new Set(planned.fulfillmentIds);
      candidates = candidates.filter((f) => !tried.has(f.fulfillmentId));
    }
    if (chosen.length === 0) return { waveId: null, ...(unplaced.length ? { unplaced } : {}) };

    const at = now.toISOString();
    const wave: StoredWave = {
      waveId,
      locationId,
      status: 'released',
      ...(cutoffAt ? { cutoffAt } : {}),
      fulfillmentIds: chosen.map((f) => f.fulfillmentId),
      orderIds: [...new Set(chosen.map((f) => f.orderId))],
      taskCount: tasks.length,
      createdAt: at,
      createdBy: ctx.actor,
      ...(unplaced.length ? { unplaced } : {}),
    };
    await ports.store.putTasks(tasks);
    const released = await ports.store.releaseWave(
      wave,
      chosen.map((f) => ({ before: f, patch: { status: 'waved', waveId, updatedAt: at } })),
    );
    if (!released) {
      // Another planner took some of them (or an order was cancelled): plan again from fresh reads.
      await ports.store.discardTasks(tasks);
      continue;
    }
    await ports.events.publish([
      fulfillmentEvent(
        WaveReleased,
        {
          waveId,
          locationId,
          ...(cutoffAt ? { cutoffAt } : {}),
          fulfillmentIds: wave.fulfillmentIds,
          orderIds: wave.orderIds ?? [],
          taskCount: wave.taskCount,
          releasedAt: at,
        },
        waveId,
        at,
        ctx.correlationId,
      ),
    ]);
    await signalAll(ports, wave.fulfillmentIds, 'waved');
    return {
      waveId,
      ...(cutoffAt ? { cutoffAt } : {}),
      fulfillmentIds: wave.fulfillmentIds,
      taskCount: wave.taskCount,
      ...(unplaced.length ? { unplaced } : {}),
    };
  }
  throw new FulfillmentContention(`The queue at ${locationId}`);
}

/**
 * Tells each fulfillment's workflow it passed a phase. The state change is already committed, so a
 * failed signal is logged, not thrown: the workflow's await step reads the status when it parks.
 */
export async function signalAll(
  ports: Pick<FulfillmentPorts, 'signals'>,
  fulfillmentIds: readonly string[],
  phase: 'waved' | 'picked',
) {
  await Promise.all(
    fulfillmentIds.map(async (id) => {
      try {
        await ports.signals.advance(id, phase);
      } catch (error) {
        logger.error('Workflow signal failed', { error: error as Error, fulfillmentId: id, phase });
      }
    }),
  );
}

/**
 * The schedule: every location with settings has its missed cutoffs rolled and its at-risk
 * fulfillments raised; where `autoWave` is on, waves are planned until nothing is ready.
 */
export async function planScheduledWaves(ports: FulfillmentPorts, ctx: Ctx, maxWavesPerLocation = 10) {
  const planned: string[] = [];
  for (const s of await ports.store.allSettings()) {
    try {
      if (!s.autoWave) {
        await reviewLocation(ports, s.locationId, ctx);
        continue;
      }
      for (let n = 0; n < maxWavesPerLocation; n++) {
        const wave = await planNextWave(ports, s.locationId, {}, ctx);
        if (!wave.waveId) break;
        planned.push(wave.waveId);
      }
    } catch (error) {
      // One location's trouble must not stop the others'.
      logger.error('Scheduled wave planning failed', { error: error as Error, locationId: s.locationId });
    }
  }
  return { planned };
}
