import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalStepFunctions } from '../../local/stepfunctions.ts';

const root = path.resolve(import.meta.dirname, 'fixtures');
const spec = {
  name: 'approval-demo',
  description: 'fixture',
  functions: {
    CheckFunctionArn: 'check',
    RequestApprovalFunctionArn: 'requestApproval',
    ApplyFunctionArn: 'apply',
  },
};

function setup(behaviour: { check?: (n: number) => unknown; requestApproval?: () => unknown } = {}) {
  const calls: { fn: string; payload: any }[] = [];
  let checks = 0;
  const sfn = new LocalStepFunctions(
    [spec],
    async (fn, payload) => {
      calls.push({ fn, payload });
      if (fn === 'check') return behaviour.check ? behaviour.check(++checks) : { ok: true };
      if (fn === 'apply') return { applied: true };
      if (fn === 'requestApproval' && behaviour.requestApproval) return behaviour.requestApproval();
      return {};
    },
    { root, region: 'us-east-1', account: '000000000000' },
  );
  return { sfn, calls, arn: sfn.arnOf('approval-demo') };
}

async function waitForToken(calls: { fn: string; payload: any }[]): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const call = calls.find((c) => c.fn === 'requestApproval');
    if (call) return call.payload.taskToken;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('no task token issued');
}

const finished = async (sfn: LocalStepFunctions, executionArn: string) => {
  for (let i = 0; i < 300; i++) {
    const d = sfn.describeExecution(executionArn);
    if (d.status !== 'RUNNING') return d;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('execution did not finish');
};

describe('local Step Functions runs the ASL unchanged', () => {
  it('parks on a task token and continues when the task succeeds', async () => {
    const { sfn, calls, arn } = setup();
    const { executionArn } = sfn.startExecution(arn, JSON.stringify({ orderId: 'o-1' }), 'o-1');
    const token = await waitForToken(calls);
    expect(token).toMatch(/^o-1:AwaitApproval:/);
    expect(sfn.describeExecution(executionArn).status).toBe('RUNNING');
    sfn.sendTaskSuccess(token, JSON.stringify({ approvedBy: 'sam' }));
    const done = await finished(sfn, executionArn);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output as string)).toEqual({ applied: true });
    const apply = calls.find((c) => c.fn === 'apply');
    expect(apply?.payload.approval).toEqual({ approvedBy: 'sam' });
  });

  it('routes a task failure through Catch by error name', async () => {
    const { sfn, calls, arn } = setup();
    const { executionArn } = sfn.startExecution(arn, JSON.stringify({ orderId: 'o-2' }));
    sfn.sendTaskFailure(await waitForToken(calls), 'Declined', 'customer service declined');
    const done = await finished(sfn, executionArn);
    expect(done).toMatchObject({ status: 'FAILED', error: 'Rejected' });
    expect(calls.some((c) => c.fn === 'apply')).toBe(false);
  });

  it('retries a Lambda error named in Retry, then continues', async () => {
    const { sfn, calls, arn } = setup({
      check: (n) => {
        if (n === 1) throw Object.assign(new Error('try again'), { name: 'Flaky' });
        return { ok: true };
      },
    });
    sfn.startExecution(arn, JSON.stringify({ orderId: 'o-3' }));
    await waitForToken(calls);
    expect(calls.filter((c) => c.fn === 'check')).toHaveLength(2);
  });

  it('catches a domain error code thrown by a Lambda task', async () => {
    const { sfn, arn } = setup({
      check: () => {
        throw Object.assign(new Error('short'), { name: 'INSUFFICIENT_STOCK' });
      },
    });
    const { executionArn } = sfn.startExecution(arn, JSON.stringify({ orderId: 'o-4' }));
    const done = await finished(sfn, executionArn);
    expect(done).toMatchObject({ status: 'FAILED', error: 'Rejected' });
  });

  it('treats a second start with the same name and input as the same execution', async () => {
    const { sfn, calls, arn } = setup();
    const first = sfn.startExecution(arn, JSON.stringify({ orderId: 'o-5' }), 'order-o-5');
    const second = sfn.startExecution(arn, JSON.stringify({ orderId: 'o-5' }), 'order-o-5');
    expect(second.executionArn).toBe(first.executionArn);
    await waitForToken(calls);
    expect(calls.filter((c) => c.fn === 'check')).toHaveLength(1);
    expect(() => sfn.startExecution(arn, JSON.stringify({ orderId: 'other' }), 'order-o-5')).toThrow(
      /already exists/,
    );
  });

  it('forgets the token of a human step whose function failed, so nothing waits on it', async () => {
    const { sfn, arn } = setup({
      requestApproval: () => {
        throw Object.assign(new Error('no approver on shift'), { name: 'Declined' });
      },
    });
    const { executionArn } = sfn.startExecution(arn, JSON.stringify({ orderId: 'o-6' }));
    await sfn.settle();
    expect(sfn.describeExecution(executionArn)).toMatchObject({ status: 'FAILED', error: 'Rejected' });
    expect(sfn.listExecutions().find((e) => e.executionArn === executionArn)?.waitingTokens.size).toBe(0);
  });

  it('refuses a token that is not waiting', () => {
    const { sfn } = setup();
    expect(() => sfn.sendTaskSuccess('nope', '{}')).toThrow(/not waiting/);
  });
});
