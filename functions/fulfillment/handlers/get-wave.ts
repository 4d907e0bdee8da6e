import { z } from 'zod';
import { httpHandler, ok } from '#shared/http';
import { fulfillmentPorts } from '../adapters/wiring.ts';
import { WaveNotFound } from '../errors.ts';
import { waveView } from '../views/fulfillment-views.ts';

const ports = fulfillmentPorts();

/** GET /api/waves/{waveId}: the wave and its pick tasks in walk order. */
export const handler = httpHandler(
  { params: z.object({ waveId: z.string().min(1).max(128) }) },
  async ({ params }) => {
    const [wave, tasks] = await Promise.all([
      ports.store.getWave(params.waveId),
      ports.store.tasksOf(params.waveId),
    ]);
    if (!wave) throw new WaveNotFound(params.waveId);
    return ok(waveView(wave, tasks));
  },
);
