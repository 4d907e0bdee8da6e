import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import { recordAuditFirst } from '#shared/audit';
import { sfnClient } from '#shared/clients';
import { getEnv, stateMachineArnEnv } from '#shared/env';
import type { ReleaseWorkflows } from '../core/ports.ts';

/**
 * Step Functions, for the orders that need the durable order-release workflow. The execution is
 * named by the order id with an input derived from it alone, so a repeat is the same
 * StartExecution: idempotent while it runs, ExecutionAlreadyExists once finished — both mean
 * "already started". The ARN is read on first use: only functions that start it are given it.
 */
export function sfnReleaseWorkflows(): ReleaseWorkflows {
  return {
    async startRelease(orderId, correlationId, retry) {
      // Not a table write, so it cannot share a transaction with the audit record: record first.
      await recordAuditFirst();
      try {
        await sfnClient().send(
          new StartExecutionCommand({
            stateMachineArn: getEnv(stateMachineArnEnv('order-release')),
            name: retry ? `${orderId}-retry-${retry}` : orderId,
            input: JSON.stringify({ orderId, correlationId }),
          }),
        );
      } catch (error) {
        if ((error as Error).name !== 'ExecutionAlreadyExists') throw error;
      }
    },
  };
}
