import { allLocationIds } from '#inventory/api';
import { logger } from '#shared/powertools';
import { countPorts } from '../adapters/wiring.ts';
import { raiseDueCounts } from '../core/counts.ts';

const ports = countPorts();

/** Scheduled: a count task for each bin whose class interval has passed since its last count. */
export const handler = async (event: { scheduledAt?: string } = {}) => {
  const raised = await raiseDueCounts(ports, await allLocationIds(), {
    actor: 'system:count-scheduler',
    correlationId: `count-scheduler:${event.scheduledAt ?? 'manual'}`,
  });
  if (raised.length) logger.info('Count tasks raised', { raised: raised.length });
  return { raised: raised.length };
};
