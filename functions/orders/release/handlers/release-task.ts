import { z } from 'zod';
import { releasePorts } from '../adapters/wiring.ts';
import { backorderAndKick } from '../core/backorder-queue.ts';
import {
  allocate,
  compensate,
  evaluateHolds,
  parkOnHold,
  release,
  reserve,
  validate,
} from '../core/durable-steps.ts';

const ports = releasePorts();

const orderId = z.string().min(1).max(64);
const base = { orderId, correlationId: z.string().optional() };
const input = z.discriminatedUnion('step', [
  z.object({
    step: z.enum(['validate', 'evaluateHolds', 'allocate', 'reserve', 'backorder', 'release']),
    ...base,
  }),
  z.object({ step: z.literal('parkOnHold'), ...base, taskToken: z.string().min(1) }),
  z.object({
    step: z.literal('compensate'),
    ...base,
    error: z.object({ Error: z.string().optional(), Cause: z.string().optional() }).optional(),
  }),
]);

/**
 * The order-release workflow's task (statemachines/order-release.asl.json): one step per call,
 * each idempotent by order id. Domain answers (held, insufficient, cancelled) are returned for
 * Choice states; errors are thrown, named by their code, for Retry and Catch.
 */
export const handler = async (raw: unknown) => {
  const cmd = input.parse(raw);
  const ctx = { correlationId: cmd.correlationId ?? cmd.orderId };
  switch (cmd.step) {
    case 'validate':
      return validate(ports, cmd.orderId);
    case 'evaluateHolds':
      return evaluateHolds(ports, cmd.orderId, ctx);
    case 'parkOnHold':
      return parkOnHold(ports, cmd.orderId, cmd.taskToken);
    case 'allocate':
      return allocate(ports, cmd.orderId);
    case 'reserve':
      return reserve(ports, cmd.orderId, ctx);
    case 'backorder':
      return backorderAndKick(ports, cmd.orderId, ctx);
    case 'release':
      return release(ports, cmd.orderId, ctx);
    case 'compensate':
      return compensate(
        ports,
        cmd.orderId,
        { error: cmd.error?.Error ?? 'Unknown', ...(cmd.error?.Cause ? { cause: cmd.error.Cause } : {}) },
        ctx,
      );
  }
};
