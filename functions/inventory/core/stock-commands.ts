import type { AdjustmentBody, MoveBody, ReceiptBody } from '../schemas/stock.ts';
import { applyStockCommand, type StockCommandResult } from './change-stock.ts';
import type { InventoryPorts } from './ports.ts';
import type { CommandContext } from './reservation-records.ts';
import { adjustmentDeltas, moveDeltas, receiptDeltas } from './stock-position.ts';

/** Adjusts units at a position (count corrections, shrinkage, opening balances). */
export function adjustStock(
  ports: InventoryPorts,
  cmd: AdjustmentBody,
  ctx: CommandContext,
): Promise<StockCommandResult> {
  return applyStockCommand(
    ports,
    { kind: 'adjust', ...pick(cmd), deltas: adjustmentDeltas(cmd.delta, cmd.bucket) },
    ctx,
  );
}

/** Receives units into a position (goods in, returns into returnedPending), optionally off inTransit. */
export function receiveStock(
  ports: InventoryPorts,
  cmd: ReceiptBody,
  ctx: CommandContext,
): Promise<StockCommandResult> {
  return applyStockCommand(
    ports,
    { kind: 'receive', ...pick(cmd), deltas: receiptDeltas(cmd.quantity, cmd.bucket, cmd.fromInTransit) },
    ctx,
  );
}

/** Moves units between status buckets of one position (on hand → quarantined, returned pending → on hand). */
export function moveStock(
  ports: InventoryPorts,
  cmd: MoveBody,
  ctx: CommandContext,
): Promise<StockCommandResult> {
  return applyStockCommand(
    ports,
    { kind: 'move', ...pick(cmd), deltas: moveDeltas(cmd.from, cmd.to, cmd.quantity) },
    ctx,
  );
}

const pick = (c: {
  sku: string;
  locationId: string;
  reason: string;
  idempotencyKey: string;
  binId?: string;
}) => ({
  sku: c.sku,
  locationId: c.locationId,
  reason: c.reason,
  idempotencyKey: c.idempotencyKey,
  ...(c.binId ? { binId: c.binId } : {}),
});
