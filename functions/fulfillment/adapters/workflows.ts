import { createHash } from 'node:crypto';
import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import { recordAuditFirst } from '#shared/audit';
import { sfnClient } from '#shared/clients';
import { getEnv, stateMachineArnEnv } from '#shared/env';
import type { FulfillmentWorkflows } from '../core/ports.ts';

/**
 * Step Functions: one `fulfillment` execution per fulfillment, named by its id, so a redelivered
 * OrderReleased starts nothing new (running: idempotent; finished: ExecutionAlreadyExists — both
 * mean "already started"). The ARN is read on first use: only the functions that start it have it.
 */
export function sfnFulfillmentWorkflows(): FulfillmentWorkflows {
  return {
    async start(fulfillmentId, correlationId) {
      // Not a table write: the audit record (inside a command) goes first.
      await recordAuditFirst();
      try {
        await sfnClient().send(
          new StartExecutionCommand({
            stateMachineArn: getEnv(stateMachineArnEnv('fulfillment')),
            name: executionNameOf(fulfillmentId),
            input: JSON.stringify({ fulfillmentId, correlationId }),
          }),
        );
      } catch (error) {
        if ((error as Error).name !== 'ExecutionAlreadyExists') throw error;
      }
    },
  };
}

/**
 * An execution name for a fulfillment id. Step Functions allows 1–80 characters without `:` and
 * other punctuation, and fulfillment ids are reservation ids (`order:<orderId>:<node>:<round>`):
 * other characters become `-`, and a long id keeps its head plus a hash so names stay unique.
 */
export function executionNameOf(fulfillmentId: string): string {
  const safe = fulfillmentId.replace(/[^A-Za-z0-9_-]/g, '-');
  if (safe === fulfillmentId && safe.length <= 80) return safe;
  const hash = createHash('sha256').update(fulfillmentId).digest('hex').slice(0, 12);
  return `${safe.slice(0, 67)}-${hash}`;
}
