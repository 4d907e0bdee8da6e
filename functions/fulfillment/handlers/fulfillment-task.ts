import { z } from 'zod';
import { shippingPorts } from '../adapters/shipping-wiring.ts';
import { cancelFulfillment } from '../core/cancellation.ts';
import { PHASES } from '../core/shipping-ports.ts';
import { awaitPhase, raisePhaseTimeout } from '../core/workflow-steps.ts';

const ports = shippingPorts();

const base = {
  fulfillmentId: z.string().min(1).max(160),
  correlationId: z.string().optional(),
};
const input = z.discriminatedUnion('step', [
  z.object({ step: z.literal('await'), phase: z.enum(PHASES), ...base, taskToken: z.string().min(1) }),
  z.object({ step: z.literal('raiseException'), phase: z.enum(PHASES), ...base }),
  z.object({ step: z.literal('cancel'), ...base }),
]);

/**
 * The fulfillment workflow's task (statemachines/fulfillment.asl.json): park on a phase's task
 * token, raise a timed-out phase's exception, cancel. Errors are thrown named for Retry and Catch
 * (FulfillmentCancelled, NOT_FOUND).
 */
export const handler = async (raw: unknown) => {
  const cmd = input.parse(raw);
  const correlationId = cmd.correlationId ?? cmd.fulfillmentId;
  switch (cmd.step) {
    case 'await':
      return awaitPhase(ports, cmd.fulfillmentId, cmd.phase, cmd.taskToken);
    case 'raiseException':
      return raisePhaseTimeout(ports, cmd.fulfillmentId, cmd.phase);
    case 'cancel':
      return cancelFulfillment(ports, cmd.fulfillmentId, correlationId);
  }
};
