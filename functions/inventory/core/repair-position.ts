import { Conflict } from '#shared/errors';
import { createEvent } from '#shared/events';
import { InventoryRepaired } from '../events/inventory-repaired.ts';
import type { Movement, RepairBody } from '../schemas/stock.ts';
import { ledgerTotals } from './ledger.ts';
import type { InventoryPorts } from './ports.ts';
import type { CommandContext } from './reservation-records.ts';
import { bucketsOf, deltasBetween } from './stock-position.ts';

export class LedgerLagging extends Conflict {
  constructor(sku: string, locationId: string) {
    super('LEDGER_LAGGING', `The ledger of ${sku} at ${locationId} has not caught up yet; retry shortly`, {
      sku,
      locationId,
    });
  }
}

/**
 * Makes a position's ledger sum to the position again: for each of its items whose movements
 * do not add up, writes one correcting movement (kind `repair`) with the difference, the audit
 * reason, who asked, and the versions whose movements it stands in for. Idempotent by key: the
 * repair movement's id is derived from it. The position itself is not changed — the counted
 * stock is the truth; the ledger is brought to it.
 */
export async function repairPosition(
  ports: InventoryPorts,
  cmd: RepairBody,
  ctx: CommandContext,
  opts: { lagAllowanceMs?: number } = {},
): Promise<{ repairs: Movement[] }> {
  const shards = await ports.positions.shardCount(cmd.sku);
  const items = await ports.positions.shardsOf(cmd.sku, cmd.locationId, shards);
  const repairs: Movement[] = [];
  const now = ports.clock();
  for (const p of items) {
    const movements = (await ports.ledger.ofItem(p)).filter((m) => m.version <= p.version);
    const versions = new Set(movements.filter((m) => m.kind !== 'repair').map((m) => m.version));
    const covered = new Set(movements.flatMap((m) => m.covers ?? []));
    const missing: number[] = [];
    for (let v = 1; v <= p.version; v++) if (!versions.has(v) && !covered.has(v)) missing.push(v);
    const trailing = missing.length > 0 && missing.every((v) => v > Math.max(0, ...versions));
    if (trailing && now.getTime() - Date.parse(p.updatedAt) < (opts.lagAllowanceMs ?? 60_000)) {
      throw new LedgerLagging(cmd.sku, cmd.locationId);
    }
    const totals = ledgerTotals(movements);
    const deltas = deltasBetween(totals, p);
    if (Object.keys(deltas).length === 0 && missing.length === 0) continue;
    const movementId = `repair:${cmd.sku}:${cmd.locationId}:${p.shard}:${cmd.idempotencyKey}`;
    const repair: Movement = {
      movementId,
      sku: p.sku,
      locationId: p.locationId,
      shard: p.shard,
      version: p.version,
      kind: 'repair',
      bucket: 'onHand',
      delta: deltas.onHand ?? 0,
      deltas,
      before: bucketsOf(totals),
      after: bucketsOf(p),
      reason: cmd.reason,
      actor: ctx.actor,
      correlationId: ctx.correlationId,
      idempotencyKey: cmd.idempotencyKey,
      occurredAt: now.toISOString(),
      covers: missing,
    };
    if (await ports.ledger.putIfAbsent(repair)) {
      repairs.push(repair);
      const event = createEvent(
        InventoryRepaired,
        {
          movementId,
          sku: p.sku,
          locationId: p.locationId,
          shard: p.shard,
          deltas: deltas as Record<string, number>,
          reason: cmd.reason,
          actor: ctx.actor,
        },
        { correlationId: ctx.correlationId, now: () => now },
      );
      await ports.events.publish([event]);
    } else {
      const existing = await ports.ledger.get(movementId);
      if (existing) repairs.push(existing);
    }
  }
  return { repairs };
}
