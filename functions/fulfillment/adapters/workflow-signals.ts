import { sfnTaskTokens, type TaskTokens } from '#shared/task-tokens';
import { requestCancel } from '../core/cancellation.ts';
import type { WorkflowSignals } from '../core/ports.ts';
import type { ShipmentStore } from '../core/shipping-ports.ts';
import { clearPassedException } from '../core/workflow-steps.ts';
import { dynamoShipmentStore } from './shipment-store.ts';

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
      const f = await store.load(fulfillmentId);
      if (!f) return;
      // Called once the phase's status is written: its timeout exception is over.
      await clearPassedException({ shipments: store }, f, phase);
      const token = f.tokens?.[phase];
      // Sent once: a repeated command (a retried ship) finds it done and sends nothing.
      if (!token || f.signalled?.includes(phase)) return;
      await tokens.succeed(token, { phase });
      await store.markSignalled(fulfillmentId, phase);
    },
    async cancel(fulfillmentId, reason) {
      await requestCancel({ shipments: store, tokens, clock: () => new Date() }, fulfillmentId, reason);
    },
  };
}
