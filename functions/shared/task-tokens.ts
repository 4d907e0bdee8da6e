import { SendTaskFailureCommand, SendTaskSuccessCommand } from '@aws-sdk/client-sfn';
import { recordAuditFirst } from './audit.ts';
import { sfnClient } from './clients.ts';

/** Completes the task a workflow parked with (`.waitForTaskToken`). */
export interface TaskTokens {
  succeed(token: string, output: unknown): Promise<'ok' | 'gone'>;
  fail(token: string, error: string, cause: string): Promise<'ok' | 'gone'>;
}

/**
 * A token that no longer waits is not an error here: completed (the workflow saw the state
 * itself first), timed out (the step waits again with a new token), or the execution ended.
 * Locally a gone token is TaskDoesNotExist.
 */
const GONE = new Set(['TaskDoesNotExist', 'InvalidToken', 'TaskTimedOut']);

export function sfnTaskTokens(): TaskTokens {
  const send = async (command: SendTaskSuccessCommand | SendTaskFailureCommand) => {
    // Not a table write, so it cannot share a transaction with a command's audit record: record first.
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
