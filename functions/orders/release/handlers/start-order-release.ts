import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import { sfnClient } from '#shared/clients';
import { getEnv, stateMachineArnEnv } from '#shared/env';
import { eventHandler } from '#shared/event-handler';
import { OrderReceived } from '../../events/order-received.ts';

const stateMachineArn = getEnv(stateMachineArnEnv('order-release'));

/**
 * OrderReceived → one order-release execution per order. The execution is named by the order
 * id (an EventBridge → Step Functions target cannot set a name), with an input derived from the
 * event alone, so a redelivered event is the same StartExecution: idempotent while it runs,
 * ExecutionAlreadyExists once it has finished — both mean "already started".
 */
export const handler = eventHandler(
  'order-release-starter',
  async (event) => {
    const { orderId } = OrderReceived.data.pick({ orderId: true }).parse(event.detail.data);
    try {
      await sfnClient().send(
        new StartExecutionCommand({
          stateMachineArn,
          name: orderId,
          input: JSON.stringify({ orderId, correlationId: event.detail.metadata.correlationId }),
        }),
      );
    } catch (error) {
      if ((error as Error).name !== 'ExecutionAlreadyExists') throw error;
    }
  },
  { idempotent: false },
);
