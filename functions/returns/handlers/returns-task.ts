import { z } from 'zod';
import { returnPorts } from '../adapters/wiring.ts';
import { awaitPhase, completeReturn, placeExchange, requestRefund } from '../core/returns.ts';

const ports = returnPorts();

const base = { returnId: z.string().min(1).max(64), correlationId: z.string().optional() };
const input = z.discriminatedUnion('step', [
  z.object({
    step: z.literal('await'),
    phase: z.enum(['received', 'inspected', 'refunded']),
    ...base,
    taskToken: z.string().min(1),
  }),
  z.object({ step: z.literal('placeExchange'), ...base }),
  z.object({ step: z.literal('requestRefund'), ...base }),
  z.object({ step: z.literal('complete'), ...base }),
]);

/**
 * The returns workflow's task (statemachines/returns.asl.json): park on a phase's task token,
 * request the refund, complete the return. Errors are thrown named for Retry (NOT_FOUND).
 */
export const handler = async (raw: unknown) => {
  const cmd = input.parse(raw);
  const correlationId = cmd.correlationId ?? cmd.returnId;
  switch (cmd.step) {
    case 'await':
      return awaitPhase(ports, cmd.returnId, cmd.phase, cmd.taskToken, correlationId);
    case 'placeExchange':
      return placeExchange(ports, cmd.returnId, correlationId);
    case 'requestRefund':
      return requestRefund(ports, cmd.returnId, correlationId);
    case 'complete':
      return completeReturn(ports, cmd.returnId);
  }
};
