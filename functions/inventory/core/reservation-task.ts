import { z } from 'zod';
import { DomainError } from '#shared/errors';
import { reservationId, reserveBody } from '../schemas/reservation.ts';
import { reservationView } from '../views/stock-views.ts';
import { closeReservation } from './close-reservation.ts';
import type { InventoryPorts } from './ports.ts';
import { reserveStock } from './reserve-stock.ts';

export const reservationTaskInput = z.discriminatedUnion('action', [
  reserveBody.extend({ action: z.literal('reserve'), correlationId: z.string().optional() }),
  z.object({
    action: z.enum(['release', 'consume']),
    reservationId,
    reason: z.string().max(200).optional(),
    correlationId: z.string().optional(),
  }),
]);
export type ReservationTaskInput = z.input<typeof reservationTaskInput>;

/** What a workflow (or another context) gets back: never a thrown business error. */
export type ReservationTaskAnswer =
  | { status: 'reserved'; replayed: boolean; reservation: ReturnType<typeof reservationView> }
  | { status: 'released' | 'consumed' | 'expired' | 'open'; reservation: ReturnType<typeof reservationView> }
  | { status: 'insufficient'; shortages: unknown[] }
  | { status: 'error'; code: string; message: string };

/**
 * Reserve, release or consume through the same core as the HTTP routes, for callers that are not
 * people: workflow tasks and other contexts. A shortage is an answer, not a failure
 * (`insufficient`, so a Choice state can route to backorder); other domain errors come back as
 * `{ status: 'error', code }`; transient errors throw so the caller retries.
 */
export async function runReservationTask(
  ports: InventoryPorts,
  raw: unknown,
): Promise<ReservationTaskAnswer> {
  const parsed = reservationTaskInput.safeParse(raw);
  // A request inventory cannot take (e.g. more lines than one transaction holds) is an answer,
  // not a crash: the caller decides what to do with the order instead of retrying for ever.
  if (!parsed.success) {
    return {
      status: 'error',
      code: 'VALIDATION_FAILED',
      message: parsed.error.issues.map((i) => `${i.path.join('.') || '(input)'}: ${i.message}`).join('; '),
    };
  }
  const cmd = parsed.data;
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
    return {
      status: result.reservation.status as 'released' | 'consumed' | 'expired' | 'open',
      reservation: reservationView(result.reservation),
    };
  } catch (error) {
    if (error instanceof DomainError && error.status < 500) {
      if (error.code === 'INSUFFICIENT_STOCK') {
        return {
          status: 'insufficient',
          shortages: (error.details as { shortages?: unknown[] })?.shortages ?? [],
        };
      }
      return { status: 'error', code: error.code, message: error.message };
    }
    throw error;
  }
}
