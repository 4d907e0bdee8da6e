import { SendTaskFailureCommand, SendTaskSuccessCommand } from '@aws-sdk/client-sfn';
import { recordAuditFirst } from '#shared/audit';
import { sfnClient } from '#shared/clients';
import type { TaskTokens } from '../core/ports.ts';

/** A token that is no longer waiting (completed, timed out, execution ended) is not an error here. */
const GONE = new Set(['TaskDoesNotExist', 'InvalidToken', 'TaskTimedOut']);

export function sfnTaskTokens(): TaskTokens {
  const send = async (command: SendTaskSuccessCommand | SendTaskFailureCommand) => {
    // Not a table write, so it cannot share a transaction with the audit record: record first.
    await recordAuditFirst();
    try {
      await sfnClient().send(command as SendTaskSuccessCommand);
      return 'ok' as const;
    } catch (error) {
      if (GONE.has((error as Error).name)) return 'gone' as const;
      throw error;
    }
  };
  return {
    succeed: (taskToken, output) =>
      send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) })),
    fail: (taskToken, error, cause) => send(new SendTaskFailureCommand({ taskToken, error, cause })),
  };
}
