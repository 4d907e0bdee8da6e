import { describe, expect, it } from 'vitest';
import type { AdjustmentStore } from '../../functions/inventory/core/adjust-stock.ts';
import { adjustStock } from '../../functions/inventory/core/adjust-stock.ts';
import { PositionChanged } from '../../functions/inventory/errors.ts';
import type { Movement, StockPosition } from '../../functions/inventory/schemas/stock.ts';
import type { DomainEvent } from '../../functions/shared/events.ts';

function fakeStore(opts: { raceOnce?: boolean } = {}) {
  const positions = new Map<string, StockPosition>();
  const movements = new Map<string, Movement>();
  let raced = false;
  const store: AdjustmentStore = {
    async getPosition(sku, loc) {
      const p = positions.get(`${sku}|${loc}`);
      return p ? { ...p } : undefined;
    },
    async getMovement(id) {
      return movements.get(id);
    },
    async commitMovement(movement, next, expectedVersion) {
      if (opts.raceOnce && !raced) {
        raced = true;
        throw new PositionChanged();
      }
      if (movements.has(movement.movementId)) return 'duplicate';
      const key = `${next.sku}|${next.locationId}`;
      if ((positions.get(key)?.version ?? 0) !== expectedVersion) throw new PositionChanged();
      movements.set(movement.movementId, movement);
      positions.set(key, next);
      return 'committed';
    },
  };
  return { store, positions, movements };
}

const ctx = { actor: 'ana', correlationId: 'c1' };
const cmd = { sku: 'A', locationId: 'WH1', delta: 5, reason: 'count', idempotencyKey: 'key-00001' };

describe('adjustStock', () => {
  it('records one movement with before and after and publishes StockAdjusted', async () => {
    const { store } = fakeStore();
    const published: DomainEvent[] = [];
    const result = await adjustStock(
      { store, events: { publish: async (e) => void published.push(...e) }, clock: () => new Date(0) },
      cmd,
      ctx,
    );
    expect(result.applied).toBe(true);
    expect(result.movement.before.onHand).toBe(0);
    expect(result.movement.after).toMatchObject({ onHand: 5, available: 5 });
    expect(published.map((e) => e.detailType)).toEqual(['StockAdjusted']);
    expect(published[0]?.detail.metadata.eventId).toBe(result.movement.eventId);
  });

  it('treats a repeated idempotency key as the same request and changes nothing twice', async () => {
    const { store, positions } = fakeStore();
    const published: DomainEvent[] = [];
    const ports = {
      store,
      events: { publish: async (e: readonly DomainEvent[]) => void published.push(...e) },
      clock: () => new Date(0),
    };
    await adjustStock(ports, cmd, ctx);
    const again = await adjustStock(ports, cmd, ctx);
    expect(again.applied).toBe(false);
    expect(positions.get('A|WH1')?.onHand).toBe(5);
    // The retry republishes with the same event id, so consumers see one event.
    expect(new Set(published.map((e) => e.detail.metadata.eventId)).size).toBe(1);
  });

  it('refuses to reuse an idempotency key for a different adjustment', async () => {
    const { store } = fakeStore();
    const ports = { store, events: { publish: async () => undefined }, clock: () => new Date(0) };
    await adjustStock(ports, cmd, ctx);
    await expect(adjustStock(ports, { ...cmd, delta: 6 }, ctx)).rejects.toMatchObject({
      code: 'IDEMPOTENCY_KEY_REUSED',
    });
  });

  it('never takes a position below zero available', async () => {
    const { store, movements } = fakeStore();
    const ports = { store, events: { publish: async () => undefined }, clock: () => new Date(0) };
    await adjustStock(ports, cmd, ctx);
    await expect(
      adjustStock(ports, { ...cmd, delta: -6, idempotencyKey: 'key-00002' }, ctx),
    ).rejects.toMatchObject({
      code: 'INSUFFICIENT_STOCK',
    });
    expect(movements.size).toBe(1);
  });

  it('retries when the position changed between read and write', async () => {
    const { store, positions } = fakeStore({ raceOnce: true });
    const ports = { store, events: { publish: async () => undefined }, clock: () => new Date(0) };
    await adjustStock(ports, cmd, ctx);
    expect(positions.get('A|WH1')?.onHand).toBe(5);
  });
});
