import { z } from 'zod';
import { httpHandler, ok, requirePrincipal } from '#shared/http';
import { releasePorts } from '../adapters/wiring.ts';
import { releaseHold } from '../core/operator-commands.ts';

const ports = releasePorts();

/** POST /api/orders/{id}/holds/{holdId}/release: releases one hold; the last one resumes the workflow. */
export const handler = httpHandler(
  {
    params: z.object({ id: z.string().min(1).max(64), holdId: z.string().min(1).max(64) }),
    body: z.object({ note: z.string().max(500).optional() }).optional(),
  },
  async ({ params, body, principal, correlationId }) => {
    const actor = requirePrincipal(principal).username;
    const result = await releaseHold(
      ports,
      params.id,
      params.holdId,
      { actor, ...(body?.note ? { note: body.note } : {}) },
      { correlationId },
    );
    return ok(result);
  },
);
