import { reservationTask } from '#inventory/api';
import { DomainError } from '#shared/errors';
import type { Reservations } from '../core/ports.ts';

/**
 * Inventory's published reservation task (reserve / release / consume through the same core as
 * POST /api/reservations). Its answers become the port's; an error answer is
 * thrown as a DomainError named by its code, so Step Functions can Catch it by name.
 */
export function inventoryReservations(): Reservations {
  const call = reservationTask;
  return {
    async reserve(reservationId, lines, correlationId) {
      const out = await call({ action: 'reserve', reservationId, lines: merged(lines), correlationId });
      if (out.status === 'insufficient') return { status: 'insufficient', shortages: out.shortages };
      if (out.status === 'error') throw new DomainError(409, out.code, out.message);
      if (out.status !== 'reserved') return { status: 'reserved' };
      const { lines: held, allocations } = out.reservation;
      return {
        status: 'reserved',
        held: {
          lines: held.map((l) => ({ sku: l.sku, quantity: l.quantity })),
          allocations: allocations.map((a) => ({
            lineIndex: a.lineIndex,
            sku: a.sku,
            locationId: a.locationId,
            quantity: a.quantity,
            ...(a.kitSku ? { kitSku: a.kitSku } : {}),
            ...(a.substituteFor ? { substituteFor: a.substituteFor } : {}),
          })),
        },
      };
    },
    async release(reservationId, reason, correlationId) {
      const out = await call({
        action: 'release',
        reservationId,
        reason: reason.slice(0, 200),
        correlationId,
      });
      if (out.status === 'released') return 'released';
      if (out.status === 'error' && (out.code === 'NOT_FOUND' || out.code === 'RESERVATION_CLOSED')) {
        return 'unknown';
      }
      if (out.status === 'error') throw new DomainError(409, out.code, out.message);
      return 'unknown';
    },
  };
}

/**
 * One reservation line per SKU and location: an order may list the same SKU on several lines
 * (sizes split by the storefront, gift lines), and a reservation holds a bounded number of lines.
 */
function merged<L extends { sku: string; locationId?: string; quantity: number }>(lines: readonly L[]): L[] {
  const byPosition = new Map<string, L>();
  for (const line of lines) {
    const key = `${line.sku}\u0000${line.locationId ?? ''}`;
    const seen = byPosition.get(key);
    byPosition.set(key, seen ? { ...seen, quantity: seen.quantity + line.quantity } : { ...line });
  }
  return [...byPosition.values()];
}
