import { logger } from '#shared/powertools';
import { fulfillmentPorts } from '../adapters/wiring.ts';
import { planScheduledWaves } from '../core/waves.ts';

const ports = fulfillmentPorts();

/** Scheduled: rolls missed cutoffs, raises at-risk fulfillments, plans waves where `autoWave` is on. */
export const handler = async (event: { scheduledAt?: string } = {}) => {
  const result = await planScheduledWaves(ports, {
    actor: 'system:wave-planner',
    correlationId: `wave-planner:${event.scheduledAt ?? 'manual'}`,
  });
  if (result.planned.length) logger.info('Scheduled waves', { ...result });
  return { planned: result.planned.length };
};
