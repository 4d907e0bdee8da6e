import {
  acceptPutEvents,
  assertPutEventsEntryCount,
  type LocalBus,
  type PutEventsEntry,
  type PutEventsResultEntry,
  putEventsResult,
} from './bus.ts';
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

export const PUT_EVENTS = 'AWSEvents.PutEvents';

/** A reply as the emulator's HTTP answer carries it: the body as JSON text. */
export function httpReply(reply: AwsJsonReply): {
  status: number;
  headers: Record<string, string>;
  body: string;
} {
  return { status: reply.status, headers: reply.headers ?? {}, body: JSON.stringify(reply.body) };
}

/**
 * A PutEvents request answered as EventBridge answers it, before anything is delivered: the reply,
 * and when the request was taken (some entries may still be refused one by one) the answer per
 * entry, for `LocalBus.putEvents` to deliver under the ids the reply names.
 */
export function answerPutEvents(
  rawBody: string,
  busName: string,
): { reply: AwsJsonReply; accepted?: PutEventsResultEntry[] } {
  try {
    const accepted = acceptPutEvents(countedEntries(rawBody ? JSON.parse(rawBody) : {}), busName);
    return { reply: { status: 200, body: putEventsResult(accepted) }, accepted };
  } catch (e) {
    return { reply: failure(e) };
  }
}

/** A PutEvents request's entries, refused whole (AWS's ValidationException) when over 10. */
function countedEntries(input: Record<string, unknown>): PutEventsEntry[] {
  const entries = (input.Entries as PutEventsEntry[]) ?? [];
  assertPutEventsEntryCount(entries);
  return entries;
}

export function createAwsEmulator(deps: {
  bus: LocalBus;
  sfn: LocalStepFunctions;
  busName: string;
  busArn: string;
}) {
  /** `accepted`: the worker thread already answered this PutEvents (`answerPutEvents`). */
  type Op = (input: Record<string, unknown>, accepted?: readonly PutEventsResultEntry[]) => unknown;
  const ops: Record<string, Op> = {
    [PUT_EVENTS]: (input, accepted) => deps.bus.putEvents(countedEntries(input), accepted),
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

  /**
   * Runs one call. `accepted`: a PutEvents the worker thread already answered (`answerPutEvents`):
   * its events are delivered under the ids that answer named, and the reply is only a formality.
   */
  return async function handle(
    target: string,
    rawBody: string,
    accepted?: readonly PutEventsResultEntry[],
  ): Promise<AwsJsonReply> {
    const op = ops[target];
    if (!op) return error(400, 'UnknownOperationException', `${target} is not emulated locally`);
    try {
      const input = rawBody ? (JSON.parse(rawBody) as Record<string, unknown>) : {};
      return { status: 200, body: (await op(input, accepted)) ?? {} };
    } catch (e) {
      return failure(e);
    }
  };
}

/** A call's error as the AWS JSON protocol answers it: the named client errors 400, the rest 500. */
function failure(e: unknown): AwsJsonReply {
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

function named(name: string, message: string): Error {
  const e = new Error(message);
  e.name = name;
  return e;
}

function error(status: number, type: string, message: string): AwsJsonReply {
  return { status, body: { __type: type, message }, headers: { 'x-amzn-errortype': type } };
}
