import type { Fulfillment } from '../schemas/fulfillment.ts';

export interface PlanInput {
  now: Date;
  /** Fulfillments with status `released` at the location. */
  fulfillments: Fulfillment[];
  /** Measured pick rate at the location. */
  unitsPerMinute: number;
  /** Units still to pick in open waves at the location: they are picked before any of these. */
  unitsAhead: number;
  maxOrders: number;
}

export interface AtRisk {
  fulfillmentId: string;
  minutesLeft: number;
  minutesNeeded: number;
}

export interface PlanResult {
  /** The next wave, in pick priority order (empty when nothing is ready). */
  fulfillmentIds: string[];
  /** The cutoff the wave's fulfillments share; absent for a wave of fulfillments without one. */
  cutoffAt?: string;
  /** Every fulfillment that cannot make its cutoff at the current pick rate, in or out of the wave. */
  atRisk: AtRisk[];
  /**
   * Ids whose cutoff has passed. They are left out of this plan (and of `atRisk`): the caller
   * recomputes their cutoff (`nextCutoff(..., now)`) and plans again.
   */
  rolled: string[];
}

/**
 * Plans a location's next wave (pure). Pick priority: fulfillments at risk first, then the
 * earliest cutoff, then the higher priority, then the oldest (fulfillments without a cutoff come
 * after every one with a cutoff). A fulfillment is at risk when the minutes needed to pick the
 * units ahead of it in that order (open waves' units, the fulfillments queued before it and its
 * own) exceed the minutes left before its cutoff. The wave takes the fulfillments sharing the
 * first one's cutoff (or, if it has none, those without one), up to `maxOrders`.
 */
export function planWave(input: PlanInput): PlanResult {
  const nowMs = input.now.getTime();
  const rolled: string[] = [];
  const plannable: Fulfillment[] = [];
  for (const f of input.fulfillments) {
    if (f.cutoffAt !== undefined && Date.parse(f.cutoffAt) < nowMs) rolled.push(f.fulfillmentId);
    else plannable.push(f);
  }

  const queue = [...plannable].sort(byCutoffPriorityAge);
  const atRisk = findAtRisk(queue, input, nowMs);
  const risky = new Set(atRisk.map((r) => r.fulfillmentId));
  // Stable sort: at-risk ones move to the front, each group keeping the queue's order.
  const ordered = [...queue].sort(
    (a, b) => Number(risky.has(b.fulfillmentId)) - Number(risky.has(a.fulfillmentId)),
  );

  const first = ordered[0];
  const wave = first
    ? ordered
        .filter((f) => sameCutoff(f.cutoffAt, first.cutoffAt))
        .slice(0, Math.max(0, Math.floor(input.maxOrders)))
    : [];
  return {
    fulfillmentIds: wave.map((f) => f.fulfillmentId),
    ...(wave.length > 0 && first?.cutoffAt !== undefined ? { cutoffAt: first.cutoffAt } : {}),
    atRisk,
    rolled,
  };
}

/** Units a fulfillment still has to have picked. */
function unitsToPick(f: Pick<Fulfillment, 'lines'>): number {
  return f.lines.reduce((sum, line) => sum + Math.max(0, line.quantity - line.picked), 0);
}

function findAtRisk(queue: readonly Fulfillment[], input: PlanInput, nowMs: number): AtRisk[] {
  // Without a usable pick rate nothing can be judged late: raise no alarms rather than all of them.
  if (!(input.unitsPerMinute > 0) || !Number.isFinite(input.unitsPerMinute)) return [];
  const atRisk: AtRisk[] = [];
  let units = Math.max(0, input.unitsAhead);
  for (const f of queue) {
    units += unitsToPick(f);
    if (f.cutoffAt === undefined) continue;
    const minutesLeft = (Date.parse(f.cutoffAt) - nowMs) / 60_000;
    const minutesNeeded = units / input.unitsPerMinute;
    if (minutesNeeded > minutesLeft) {
      atRisk.push({
        fulfillmentId: f.fulfillmentId,
        minutesLeft: roundTenth(minutesLeft),
        minutesNeeded: roundTenth(minutesNeeded),
      });
    }
  }
  return atRisk;
}

function byCutoffPriorityAge(a: Fulfillment, b: Fulfillment): number {
  const cutoffA = a.cutoffAt === undefined ? Number.POSITIVE_INFINITY : Date.parse(a.cutoffAt);
  const cutoffB = b.cutoffAt === undefined ? Number.POSITIVE_INFINITY : Date.parse(b.cutoffAt);
  if (cutoffA !== cutoffB) return cutoffA < cutoffB ? -1 : 1;
  if (a.priority !== b.priority) return b.priority - a.priority;
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? -1 : 1;
  return a.fulfillmentId < b.fulfillmentId ? -1 : a.fulfillmentId > b.fulfillmentId ? 1 : 0;
}

/** Same instant (or both absent): ISO strings of one instant may be spelled differently. */
function sameCutoff(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return Date.parse(a) === Date.parse(b);
}

const roundTenth = (n: number) => Math.round(n * 10) / 10;
