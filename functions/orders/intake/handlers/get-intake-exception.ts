import { z } from 'zod';
import { httpHandler, ok } from '#shared/http';
import { IntakeExceptionNotFound } from '../../errors.ts';
import { intakePorts } from '../adapters/wiring.ts';
import { exceptionView } from '../core/exception-view.ts';

const { store } = intakePorts();

/** GET /api/intake/exceptions/{id}: one exception with its issues and raw body (from S3 when kept there). */
export const handler = httpHandler(
  { params: z.object({ id: z.string().regex(/^exc_[0-9a-z]{26}$/, 'an intake exception id') }) },
  async ({ params }) => {
    const exception = await store.getException(params.id);
    if (!exception) throw new IntakeExceptionNotFound(params.id);
    return ok(exceptionView(exception));
  },
);
