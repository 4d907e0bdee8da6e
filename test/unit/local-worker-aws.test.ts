import { afterAll, describe, expect, it } from 'vitest';
import { LocalLambdas } from '../../local/lambda.ts';
import { functionsOnly } from './fixtures/functions-only-manifest.ts';

/*
 * A handler on the background worker calls the emulated AWS APIs through the real SDK clients;
 * the call reaches the runtime's emulation on the main thread as a message. The emulator's HTTP
 * endpoint here is a port nothing listens on, so a call that went over HTTP would fail.
 */
const manifest = functionsOnly({ publisher: { entry: 'test/unit/fixtures/publishing-handler.ts' } });

const calls: { target: string; body: unknown }[] = [];
Object.assign(process.env, {
  QM_AWS_ENDPOINT: 'http://127.0.0.1:9',
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'local',
  AWS_SECRET_ACCESS_KEY: 'local',
});
const lambdas = new LocalLambdas(manifest, process.cwd());
// No QM_BUS_NAME: the worker cannot answer PutEvents itself and asks the main thread.
lambdas.answerAwsCalls(async (target, body) => {
  calls.push({ target, body: JSON.parse(body) });
  if (target === 'AWSEvents.PutEvents')
    return { status: 200, body: { FailedEntryCount: 0, Entries: [{ EventId: 'ev-1' }] } };
  return {
    status: 400,
    body: { __type: 'StateMachineDoesNotExist', message: 'no such machine' },
    headers: { 'x-amzn-errortype': 'StateMachineDoesNotExist' },
  };
});
afterAll(() => lambdas.stop());

describe('emulated AWS calls from the background worker', () => {
  it('reach the emulation as messages and come back as the SDK reply', async () => {
    const result = await lambdas.invokeInBackground('publisher', { call: 'put-events' });
    expect(result).toEqual({ eventIds: ['ev-1'], failed: 0 });
    expect(calls).toContainEqual({
      target: 'AWSEvents.PutEvents',
      body: {
        Entries: [{ Source: 'qm.test', DetailType: 'Ping', Detail: '{"n":1}', EventBusName: 'qm-test' }],
      },
    });
  });

  it('carry the emulation’s errors back as the SDK’s named exceptions', async () => {
    const result = await lambdas.invokeInBackground('publisher', { call: 'start-execution' });
    expect(result).toEqual({ errorName: 'StateMachineDoesNotExist', message: 'no such machine' });
    expect(calls.at(-1)).toEqual({
      target: 'AWSStepFunctions.StartExecution',
      body: { stateMachineArn: 'arn:missing', input: '{}' },
    });
  });
});
