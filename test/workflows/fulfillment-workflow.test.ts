import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MANIFEST } from '../../lib/manifest/index.ts';
import { LocalStepFunctions } from '../../local/stepfunctions.ts';

/**
 * statemachines/fulfillment.asl.json on the local interpreter with a scripted task: the phases in
 * order, a timed-out phase raising its exception and parking again (the old token forgotten), and
 * a cancel from any phase ending in Cancelled.
 */
const root = path.resolve(import.meta.dirname, '../..');
const spec = MANIFEST.stateMachines.find((m) => m.name === 'fulfillment');

function setup(cancelOutcome: 'cancelled' | 'shipped' = 'cancelled') {
  if (!spec) throw new Error('no fulfillment state machine in the manifest');
  const calls: any[] = [];
  const sfn = new LocalStepFunctions(
    [spec],
    async (_fn, payload: any) => {
      calls.push(payload);
      if (payload.step === 'cancel') return { outcome: cancelOutcome, unitsReturned: 0 };
      if (payload.step === 'raiseException') return { code: 'PHASE_TIMED_OUT' };
      return { parked: true };
    },
    { root, region: 'us-east-1', account: '000000000000' },
  );
  const arn = sfn.arnOf('fulfillment');
  const parked = async (phase: string, nth = 1): Promise<string> => {
    for (let i = 0; i < 300; i++) {
      const tokens = calls.filter((c) => c.step === 'await' && c.phase === phase).map((c) => c.taskToken);
      if (tokens.length >= nth) return tokens[nth - 1];
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`never parked on ${phase}`);
  };
  const finished = async (executionArn: string) => {
    for (let i = 0; i < 300; i++) {
      const d = sfn.describeExecution(executionArn);
      if (d.status !== 'RUNNING') return d;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error('execution did not finish');
  };
  return { sfn, arn, calls, parked, finished };
}

const input = (id: string) => JSON.stringify({ fulfillmentId: id, correlationId: `c-${id}` });

describe('the fulfillment workflow', () => {
  it('goes wave → pick → pack → ship as each parked task is completed', async () => {
    const { sfn, arn, parked, finished } = setup();
    const { executionArn } = sfn.startExecution(arn, input('F1'), 'F1');
    for (const phase of ['waved', 'picked', 'packed', 'shipped'])
      sfn.sendTaskSuccess(await parked(phase), JSON.stringify({ phase }));
    expect(await finished(executionArn)).toMatchObject({ status: 'SUCCEEDED' });
  });

  it('raises PHASE_TIMED_OUT when a phase times out, forgets the old token and parks again', async () => {
    const { sfn, arn, calls, parked, finished } = setup();
    sfn.setTaskTimeouts('fulfillment', { AwaitPick: 1 });
    const { executionArn } = sfn.startExecution(arn, input('F2'), 'F2');
    sfn.sendTaskSuccess(await parked('waved'), '{}');
    const first = await parked('picked');
    const second = await parked('picked', 2);
    expect(calls.find((c) => c.step === 'raiseException')).toMatchObject({
      phase: 'picked',
      fulfillmentId: 'F2',
    });
    expect(() => sfn.sendTaskSuccess(first, '{}')).toThrow(
      expect.objectContaining({ name: 'TaskDoesNotExist' }),
    );
    expect(sfn.describeExecution(executionArn).status).toBe('RUNNING');
    sfn.sendTaskFailure(second, 'FulfillmentCancelled', 'order cancelled');
    const done = await finished(executionArn);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output as string).cancel).toEqual({ outcome: 'cancelled', unitsReturned: 0 });
  });

  it('ends as Shipped when the shipment won the race with a cancel', async () => {
    const { sfn, arn, parked, finished } = setup('shipped');
    const { executionArn } = sfn.startExecution(arn, input('F3'), 'F3');
    sfn.sendTaskFailure(await parked('waved'), 'FulfillmentCancelled', 'order cancelled');
    const done = await finished(executionArn);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output as string).cancel.outcome).toBe('shipped');
  });
});
