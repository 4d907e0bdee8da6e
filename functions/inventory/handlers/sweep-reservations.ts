import { logger } from '#shared/powertools';
import { inventoryPorts } from '../adapters/wiring.ts';
import { sweepExpiredReservations } from '../core/close-reservation.ts';

const ports = inventoryPorts();

/** Scheduled: expires holds whose expiresAt has passed (never left to TTL). */
export const handler = async (event: { scheduledAt?: string } = {}) => {
  const result = await sweepExpiredReservations(ports, {
    correlationId: `sweep:${event.scheduledAt ?? 'manual'}`,
  });
  if (result.expired.length || result.failed.length) logger.info('Reservation sweep', { ...result });
  return { expired: result.expired.length, failed: result.failed.length };
};
