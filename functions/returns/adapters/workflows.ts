import { createHash } from 'node:crypto';
import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import { recordAuditFirst } from '#shared/audit';
import { sfnClient } from '#shared/clients';
import { getEnv, stateMachineArnEnv } from '#shared/env';
import type { ReturnWorkflows } from '../core/ports.ts';

/**
 * Step Functions: one `returns` execution per return, named by its id, so an approval retried
 * starts nothing new (running or finished, ExecutionAlreadyExists means "already started").
 */
export function sfnReturnWorkflows(): ReturnWorkflows {
  return {
    async start(returnId, correlationId) {
      await recordAuditFirst();
      try {
        await sfnClient().send(
          new StartExecutionCommand({
            stateMachineArn: getEnv(stateMachineArnEnv('returns')),
            name: executionNameOf(returnId),
            input: JSON.stringify({ returnId, correlationId }),
          }),
        );
      } catch (error) {
        if ((error as Error).name !== 'ExecutionAlreadyExists') throw error;
      }
    },
  };
}

/** Execution names allow 1–80 characters without `:` and most punctuation; a hash keeps them unique. */
function executionNameOf(returnId: string): string {
  const safe = `return-${returnId.replace(/[^A-Za-z0-9_-]/g, '-')}`;
  if (safe === `return-${returnId}` && safe.length <= 80) return safe;
  const hash = createHash('sha256').update(returnId).digest('hex').slice(0, 12);
  return `${safe.slice(0, 67)}-${hash}`;
}
