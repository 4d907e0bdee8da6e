import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { RuleTarget } from '../../lib/manifest/types.ts';
import { createAwsEmulator } from '../../local/aws-emulator.ts';
import { type BusEnvelope, LocalBus } from '../../local/bus.ts';
import { LocalLambdas } from '../../local/lambda.ts';
import type { LocalStepFunctions } from '../../local/stepfunctions.ts';
import { functionsOnly } from './fixtures/functions-only-manifest.ts';

/*
 * PutEvents from a handler on the background worker is answered on the worker, as EventBridge
 * answers once it has taken the events, and the main thread's bus delivers them under the ids that
 * answer named. The emulator's HTTP endpoint is a port nothing listens on.
 */
const manifest = functionsOnly({ publisher: { entry: 'test/unit/fixtures/publishing-handler.ts' } });
Object.assign(process.env, {
  QM_AWS_ENDPOINT: 'http://127.0.0.1:9',
  QM_BUS_NAME: 'qm-test',
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'local',
  AWS_SECRET_ACCESS_KEY: 'local',
});

const delivered: BusEnvelope[] = [];
const bus = new LocalBus(
  [{ name: 'all', description: 'test', pattern: { source: ['qm.test'] }, target: { fn: 'sink' } }],
  async (_target: RuleTarget, event) => {
    delivered.push(event as BusEnvelope);
  },
  { busName: 'qm-test', region: 'us-east-1', account: '000000000000' },
);
const emulate = createAwsEmulator({
  bus,
  sfn: {} as LocalStepFunctions,
  busName: 'qm-test',
  busArn: 'arn:aws:events:us-east-1:000000000000:event-bus/qm-test',
});
const carried: { target: string; accepted: unknown }[] = [];
const lambdas = new LocalLambdas(manifest, process.cwd());
lambdas.answerAwsCalls((target, body, accepted) => {
  carried.push({ target, accepted });
  return emulate(target, body, accepted);
});
afterAll(() => lambdas.stop());
beforeEach(() => {
  delivered.length = 0;
  carried.length = 0;
});

const ping = (n: number, extra: object = {}) => ({
  Source: 'qm.test',
  DetailType: 'Ping',
  Detail: JSON.stringify({ n }),
  ...extra,
});

describe('PutEvents from the background worker', () => {
  it('is answered on the worker, and the bus delivers each event under the id that answer gave', async () => {
    const result = (await lambdas.invokeInBackground('publisher', {
      call: 'put-events',
      entries: [ping(1), ping(2)],
    })) as { eventIds: string[]; failed: number };
    await bus.drain();
    expect(result.failed).toBe(0);
    expect(result.eventIds).toHaveLength(2);
    // The main thread carried the worker's answer out; it did not answer again.
    expect(carried).toEqual([
      { target: 'AWSEvents.PutEvents', accepted: result.eventIds.map((EventId) => ({ EventId })) },
    ]);
    expect(delivered.map((e) => [e.id, e.detail])).toEqual([
      [result.eventIds[0], { n: 1 }],
      [result.eventIds[1], { n: 2 }],
    ]);
  });

  it('refuses a bad entry on its own, as EventBridge does, and delivers the rest', async () => {
    const result = (await lambdas.invokeInBackground('publisher', {
      call: 'put-events',
      entries: [ping(1, { EventBusName: 'elsewhere' }), ping(2)],
    })) as { eventIds: (string | undefined)[]; failed: number; errorCodes: (string | undefined)[] };
    await bus.drain();
    expect(result.failed).toBe(1);
    expect(result.errorCodes).toEqual(['MalformedDetail', undefined]);
    expect(delivered.map((e) => [e.id, e.detail])).toEqual([[result.eventIds[1], { n: 2 }]]);
  });

  it('refuses more than 10 entries whole with ValidationException, and nothing reaches the bus', async () => {
    const result = await lambdas.invokeInBackground('publisher', {
      call: 'put-events',
      entries: Array.from({ length: 11 }, (_, n) => ping(n)),
    });
    await bus.drain();
    expect(result).toMatchObject({ errorName: 'ValidationException' });
    expect(carried).toEqual([]);
    expect(delivered).toEqual([]);
  });
});
