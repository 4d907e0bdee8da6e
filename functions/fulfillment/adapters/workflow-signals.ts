import { SendTaskFailureCommand, SendTaskSuccessCommand } from '@aws-sdk/client-sfn';
import { recordAuditFirst } from '#shared/audit';
import { sfnClient } from '#shared/clients';
import { requestCancel } from '../core/cancellation.ts';
import type { WorkflowSignals } from '../core/ports.ts';
import type { ShipmentStore, TaskTokens } from '../core/shipping-ports.ts';
import { dynamoShipmentStore } from './shipment-store.ts';

/**
 * A token that no longer waits is not an error here: completed (the await step saw the status
 * first), timed out (the phase waits again with a new token), or the execution ended. Locally a
 * gone token is TaskDoesNotExist.
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

/**
 * How pick, wave, pack and ship move a fulfillment's workflow on. Called after the status was
 * written: `advance` completes the task token the phase's Await state stored on the fulfillment;
 * no token means the workflow has not parked there yet, and its await step will see the status
 * itself. `cancel` marks the cancel and fails the parked task with FulfillmentCancelled.
 */
export function workflowSignals(
  store: ShipmentStore = dynamoShipmentStore(),
  tokens: TaskTokens = sfnTaskTokens(),
): WorkflowSignals {
  return {
    async advance(fulfillmentId, phase) {
      const token = (await store.load(fulfillmentId))?.tokens?.[phase];
      if (token) await tokens.succeed(token, { phase });
    },
    async cancel(fulfillmentId, reason) {
      await requestCancel({ shipments: store, tokens, clock: () => new Date() }, fulfillmentId, reason);
    },
  };
}
