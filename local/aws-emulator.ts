import { assertPutEventsEntryCount, type LocalBus, type PutEventsEntry } from './bus.ts';
import type { LocalStepFunctions } from './stepfunctions.ts';

/**
 * The slice of the EventBridge and Step Functions APIs the handlers call, spoken in the AWS
 * JSON protocol, so handlers use the real SDK clients with only the endpoint changed.
 */
export interface AwsJsonReply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

const epoch = (d: Date | undefined) => (d ? d.getTime() / 1000 : undefined);

export function createAwsEmulator(deps: {
  bus: LocalBus;
  sfn: LocalStepFunctions;
  busName: string;
  busArn: string;
}) {
  type Op = (input: Record<string, unknown>) => unknown;
  const ops: Record<string, Op> = {
    'AWSEvents.PutEvents': (input) => {
      const entries = (input.Entries as PutEventsEntry[]) ?? [];
      assertPutEventsEntryCount(entries);
      return deps.bus.putEvents(entries);
    },
    'AWSEvents.DescribeEventBus': (input) => {
      const name = String(input.Name ?? 'default');
      if (name !== deps.busName && name !== deps.busArn)
        throw named('ResourceNotFoundException', `Event bus ${name} does not exist.`);
      return { Name: deps.busName, Arn: deps.busArn };
    },
    'AWSStepFunctions.StartExecution': (input) => {
      const out = deps.sfn.startExecution(
        String(input.stateMachineArn),
        input.input === undefined ? '{}' : String(input.input),
        input.name === undefined ? undefined : String(input.name),
      );
      return { executionArn: out.executionArn, startDate: epoch(out.startDate) };
    },
    'AWSStepFunctions.DescribeExecution': (input) => {
      const d = deps.sfn.describeExecution(String(input.executionArn));
      return { ...d, startDate: epoch(d.startDate), stopDate: epoch(d.stopDate) };
    },
    'AWSStepFunctions.DescribeStateMachine': (input) =>
      deps.sfn.describeStateMachine(String(input.stateMachineArn)),
    'AWSStepFunctions.ListExecutions': (input) => ({
      executions: deps.sfn
        .listExecutions(input.stateMachineArn as string | undefined, input.statusFilter as never)
        .map((e) => ({
          executionArn: e.executionArn,
          stateMachineArn: e.stateMachineArn,
          name: e.name,
          status: e.status,
          startDate: epoch(e.startDate),
          stopDate: epoch(e.stopDate),
        })),
    }),
    'AWSStepFunctions.SendTaskSuccess': (input) => {
      deps.sfn.sendTaskSuccess(String(input.taskToken), String(input.output ?? '{}'));
      return {};
    },
    'AWSStepFunctions.SendTaskFailure': (input) => {
      deps.sfn.sendTaskFailure(
        String(input.taskToken),
        input.error as string | undefined,
        input.cause as string | undefined,
      );
      return {};
    },
    'AWSStepFunctions.SendTaskHeartbeat': (input) => {
      deps.sfn.sendTaskHeartbeat(String(input.taskToken));
      return {};
    },
  };

  return async function handle(target: string, rawBody: string): Promise<AwsJsonReply> {
    const op = ops[target];
    if (!op) return error(400, 'UnknownOperationException', `${target} is not emulated locally`);
    try {
      const input = rawBody ? (JSON.parse(rawBody) as Record<string, unknown>) : {};
      return { status: 200, body: (await op(input)) ?? {} };
    } catch (e) {
      const err = e as Error;
      const known = [
        'ResourceNotFoundException',
        'ExecutionAlreadyExists',
        'TaskDoesNotExist',
        'StateMachineDoesNotExist',
        'ExecutionDoesNotExist',
        // PutEvents over 10 entries or 256 KB (local/bus.ts), refused whole as on AWS.
        'ValidationException',
      ];
      if (known.includes(err.name)) return error(400, err.name, err.message);
      if (err instanceof SyntaxError) return error(400, 'InvalidInput', err.message);
      return error(500, 'InternalException', err.message);
    }
  };
}

function named(name: string, message: string): Error {
  const e = new Error(message);
  e.name = name;
  return e;
}

function error(status: number, type: string, message: string): AwsJsonReply {
  return { status, body: { __type: type, message }, headers: { 'x-amzn-errortype': type } };
}
