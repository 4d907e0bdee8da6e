import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { DescribeEventBusCommand } from '@aws-sdk/client-eventbridge';
import { DescribeStateMachineCommand } from '@aws-sdk/client-sfn';
import { dynamoClient, eventBridgeClient, sfnClient } from '#shared/clients';
import { ENV, getEnv, getOptionalEnv } from '#shared/env';
import { httpHandler } from '#shared/http';

const table = getEnv(ENV.tableName);
const bus = getEnv(ENV.busName);
/** name → ARN of every state machine, set by the deployer (or the local runtime). */
const machines: Record<string, string> = JSON.parse(getOptionalEnv(ENV.stateMachineArns) ?? '{}');

async function check(probe: () => Promise<unknown>): Promise<'ok' | 'unavailable'> {
  try {
    await probe();
    return 'ok';
  } catch {
    return 'unavailable';
  }
}

/** 200 only when everything an order needs to flow answers; 503 names what does not. */
export const handler = httpHandler({}, async () => {
  const [dynamodb, eventBus, workflows] = await Promise.all([
    check(async () => {
      const out = await dynamoClient().send(new DescribeTableCommand({ TableName: table }));
      if (out.Table?.TableStatus !== 'ACTIVE') throw new Error('table not active');
    }),
    check(() => eventBridgeClient().send(new DescribeEventBusCommand({ Name: bus }))),
    check(() =>
      Promise.all(
        Object.values(machines).map((arn) =>
          sfnClient().send(new DescribeStateMachineCommand({ stateMachineArn: arn })),
        ),
      ),
    ),
  ]);
  const checks = { dynamodb, eventBus, workflows };
  const healthy = Object.values(checks).every((c) => c === 'ok');
  return { status: healthy ? 200 : 503, body: { status: healthy ? 'ok' : 'degraded', checks } };
});
