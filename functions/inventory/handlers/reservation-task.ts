import { z } from 'zod';
import { DomainError } from '#shared/errors';
import { inventoryPorts } from '../adapters/wiring.ts';
import { closeReservation } from '../core/close-reservation.ts';
import { reserveStock } from '../core/reserve-stock.ts';
import { reservationId, reserveBody } from '../schemas/reservation.ts';
import { reservationView } from '../views/stock-views.ts';

const ports = inventoryPorts();

const input = z.discriminatedUnion('action', [
  reserveBody.extend({ action: z.literal('reserve'), correlationId: z.string().optional() }),
  z.object({
    action: z.enum(['release', 'consume']),
    reservationId,
    reason: z.string().max(200).optional(),
    correlationId: z.string().optional(),
  }),
]);

/**
 * Workflow task (order-release, fulfillment): the same core as the HTTP routes. A shortage is
 * an answer, not a failure — `{ status: 'insufficient', shortages }` lets a Choice state route to
 * backorder; other domain errors are returned as `{ status: 'error', code }`, transient ones throw
 * so Step Functions retries the task.
 */
export const handler = async (raw: unknown) => {
  const cmd = input.parse(raw);
  const ctx = { actor: 'system:workflow', correlationId: cmd.correlationId ?? cmd.reservationId };
  try {
    if (cmd.action === 'reserve') {
      const { action: _a, correlationId: _c, ...body } = cmd;
      const result = await reserveStock(ports, body, ctx);
      return {
        status: 'reserved',
        replayed: result.replayed,
        reservation: reservationView(result.reservation),
      };
    }
    const result = await closeReservation(ports, cmd.reservationId, cmd.action, ctx, {
      ...(cmd.reason ? { reason: cmd.reason } : {}),
    });
    return { status: result.reservation.status, reservation: reservationView(result.reservation) };
  } catch (error) {
    if (error instanceof DomainError && error.status < 500) {
      if (error.code === 'INSUFFICIENT_STOCK') {
        return {
          status: 'insufficient',
          shortages: (error.details as { shortages?: unknown })?.shortages ?? [],
        };
      }
      return { status: 'error', code: error.code, message: error.message };
    }
    throw error;
  }
};
