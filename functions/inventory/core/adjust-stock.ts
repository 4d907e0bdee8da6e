import { randomUUID } from 'node:crypto';
import { createEvent, type EventPublisher } from '#shared/events';
import { IdempotencyKeyReused, InsufficientStock, PositionChanged } from '../errors.ts';
import { StockAdjusted } from '../events/stock-adjusted.ts';
import type { AdjustmentBody, Movement, StockPosition } from '../schemas/stock.ts';
import { bucketsOf, emptyPosition } from './stock-position.ts';

export interface AdjustmentStore {
  /** Consistent read of the position, undefined when none exists yet. */
  getPosition(sku: string, locationId: string): Promise<StockPosition | undefined>;
  getMovement(movementId: string): Promise<Movement | undefined>;
  /**
   * Atomically writes the movement (only if its id is new) and the position (only if its
   * version is still `expectedVersion`), checking the SKU and location exist.
   * Throws PositionChanged on a version race; returns 'duplicate' if the movement exists.
   */
  commitMovement(movement: Movement, next: StockPosition, expectedVersion: number): Promise<'committed' | 'duplicate'>;
}

export interface AdjustPorts {
  store: AdjustmentStore;
  events: EventPublisher;
  clock: () => Date;
}

export interface AdjustResult {
  movement: Movement;
  position: StockPosition;
  /** False when this request repeated an earlier one with the same idempotency key. */
  applied: boolean;
}

const MAX_ATTEMPTS = 16;

/** Full-jitter back-off: concurrent writers to one position spread out instead of colliding again. */
const backoff = (attempt: number) =>
  new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(200, 5 * 2 ** attempt)));

/** The movement id is derived from the idempotency key, so a retried command hits the same item. */
export const adjustmentMovementId = (idempotencyKey: string) => `adj:${idempotencyKey}`;

/**
 * Adjusts on-hand units at one position.
 * 1. read the position (consistent)  2. compute the movement, refusing to go below available
 * 3. commit movement + position in one transaction, conditional on the version read
 * 4. publish StockAdjusted (re-published with the same event id when a retry finds the movement)
 */
export async function adjustStock(
  ports: AdjustPorts,
  cmd: AdjustmentBody,
  ctx: { actor: string; correlationId: string },
): Promise<AdjustResult> {
  const movementId = adjustmentMovementId(cmd.idempotencyKey);
  for (let attempt = 1; ; attempt++) {
    const existing = await ports.store.getMovement(movementId);
    if (existing) return replay(ports, existing, cmd, ctx);

    const now = ports.clock().toISOString();
    const current = (await ports.store.getPosition(cmd.sku, cmd.locationId)) ?? emptyPosition(cmd.sku, cmd.locationId, now);
    const before = bucketsOf(current);
    if (before.available + cmd.delta < 0) {
      throw new InsufficientStock({
        sku: cmd.sku,
        locationId: cmd.locationId,
        requested: -cmd.delta,
        available: before.available,
      });
    }
    const next: StockPosition = {
      ...current,
      onHand: current.onHand + cmd.delta,
      available: before.available + cmd.delta,
      version: current.version + 1,
      updatedAt: now,
    };
    const movement: Movement = {
      movementId,
      sku: cmd.sku,
      locationId: cmd.locationId,
      bucket: 'onHand',
      delta: cmd.delta,
      before,
      after: bucketsOf(next),
      reason: cmd.reason,
      actor: ctx.actor,
      correlationId: ctx.correlationId,
      idempotencyKey: cmd.idempotencyKey,
      occurredAt: now,
      eventId: randomUUID(),
    };
    try {
      const outcome = await ports.store.commitMovement(movement, next, current.version);
      if (outcome === 'duplicate') continue; // a concurrent twin won; replay its outcome
      await publish(ports, movement, ctx.correlationId);
      return { movement, position: next, applied: true };
    } catch (error) {
      if (error instanceof PositionChanged && attempt < MAX_ATTEMPTS) {
        await backoff(attempt);
        continue;
      }
      throw error;
    }
  }
}

async function replay(ports: AdjustPorts, existing: Movement, cmd: AdjustmentBody, ctx: { correlationId: string }) {
  if (existing.sku !== cmd.sku || existing.locationId !== cmd.locationId || existing.delta !== cmd.delta) {
    throw new IdempotencyKeyReused(cmd.idempotencyKey);
  }
  // The first attempt may have committed and then failed to publish: publish again with the
  // same event id; consumers dedupe on it.
  await publish(ports, existing, ctx.correlationId);
  const position = (await ports.store.getPosition(existing.sku, existing.locationId)) as StockPosition;
  return { movement: existing, position, applied: false };
}

function publish(ports: AdjustPorts, m: Movement, correlationId: string) {
  const event = createEvent(
    StockAdjusted,
    {
      movementId: m.movementId,
      sku: m.sku,
      locationId: m.locationId,
      delta: m.delta,
      reason: m.reason,
      actor: m.actor,
      onHand: m.after.onHand,
      available: m.after.available,
    },
    { correlationId, now: () => new Date(m.occurredAt) },
  );
  event.detail.metadata.eventId = m.eventId;
  return ports.events.publish([event]);
}
