import { z } from 'zod';
import { httpHandler, ok } from '#shared/http';
import { intakePorts } from '../adapters/wiring.ts';
import { replayException } from '../core/replay-exception.ts';

const { intake } = intakePorts();

/**
 * POST /api/intake/exceptions/{id}/replay: 200 with the outcome (`created`, `updated`, ...),
 * also when it was already replayed; 422 with the new reason when it still cannot be mapped.
 */
export const handler = httpHandler(
  { params: z.object({ id: z.string().regex(/^exc_[0-9a-z]{26}$/, 'an intake exception id') }) },
  async ({ params, correlationId }) => {
    const result = await replayException(intake, params.id, correlationId);
    return ok({
      exceptionId: result.exceptionId,
      status: 'resolved',
      outcome: result.outcome,
      alreadyResolved: result.duplicate,
    });
  },
);
