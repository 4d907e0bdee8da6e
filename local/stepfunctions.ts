import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { StateMachine } from 'aws-local-stepfunctions';
import { type StateMachineSpec, stateMachineFile } from '../lib/manifest/types.ts';

/** Placeholder the ASL reads as `$$.Task.Token`; each waiting task gets its own real token. */
const TOKEN_PLACEHOLDER = '__qm_local_task_token__';
const LAMBDA_INVOKE = 'arn:aws:states:::lambda:invoke';
const LAMBDA_INVOKE_WAIT = 'arn:aws:states:::lambda:invoke.waitForTaskToken';

export const localFunctionArn = (region: string, account: string, fn: string) =>
  `arn:aws:lambda:${region}:${account}:function:qm-local-${fn}`;

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED' | 'TIMED_OUT';

export interface LocalExecution {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  input: string;
  status: ExecutionStatus;
  startDate: Date;
  stopDate?: Date;
  output?: string;
  error?: string;
  cause?: string;
  /** Task tokens this execution is waiting on. */
  waitingTokens: Set<string>;
  done: Promise<void>;
}

export class ExecutionAlreadyExists extends Error {
  override name = 'ExecutionAlreadyExists';
}
export class TaskDoesNotExist extends Error {
  override name = 'TaskDoesNotExist';
}
export class StateMachineDoesNotExist extends Error {
  override name = 'StateMachineDoesNotExist';
}

class TaskFailed extends Error {
  constructor(
    name: string,
    readonly causeText: string | undefined,
  ) {
    super(causeText ?? name);
    this.name = name;
  }
}

type Invoke = (fn: string, payload: unknown) => Promise<unknown>;

interface Machine {
  spec: StateMachineSpec;
  arn: string;
  definition: Record<string, unknown>;
  machine: StateMachine;
  /** Function name by Lambda ARN (after substitution). */
  functionsByArn: Map<string, string>;
}

/**
 * Local Step Functions: the ASL files under `statemachines/` run unchanged with
 * aws-local-stepfunctions. Lambda tasks go to the real handlers in this process;
 * `.waitForTaskToken` tasks park until SendTaskSuccess/SendTaskFailure arrives through the
 * emulated API. Executions live in memory: a restart forgets running executions.
 */
export class LocalStepFunctions {
  private readonly machines = new Map<string, Machine>();
  private readonly executions = new Map<string, LocalExecution>();
  private readonly tokens = new Map<
    string,
    { executionArn: string; resolve: (v: unknown) => void; reject: (e: Error) => void }
  >();

  constructor(
    specs: readonly StateMachineSpec[],
    private readonly invoke: Invoke,
    private readonly opts: { root: string; region: string; account: string },
  ) {
    for (const spec of specs) this.register(spec);
  }

  arnOf(name: string): string {
    return `arn:aws:states:${this.opts.region}:${this.opts.account}:stateMachine:qm-local-${name}`;
  }

  /** name → ARN, the value the health check and starters read. */
  arns(): Record<string, string> {
    return Object.fromEntries([...this.machines.values()].map((m) => [m.spec.name, m.arn]));
  }

  describeStateMachine(arn: string) {
    const m = this.byArn(arn);
    return {
      stateMachineArn: m.arn,
      name: `qm-local-${m.spec.name}`,
      status: 'ACTIVE',
      definition: JSON.stringify(m.definition),
    };
  }

  startExecution(stateMachineArn: string, input = '{}', name: string = randomUUID()) {
    const m = this.byArn(stateMachineArn);
    const executionArn = `${m.arn.replace(':stateMachine:', ':execution:')}:${name}`;
    const existing = this.executions.get(executionArn);
    if (existing) {
      // Same name and input while running is idempotent on AWS; anything else is a conflict.
      if (existing.status === 'RUNNING' && existing.input === input) {
        return { executionArn, startDate: existing.startDate };
      }
      throw new ExecutionAlreadyExists(`Execution ${name} already exists`);
    }
    const parsedInput: unknown = JSON.parse(input);
    const startDate = new Date();
    const execution: LocalExecution = {
      executionArn,
      stateMachineArn: m.arn,
      name,
      input,
      status: 'RUNNING',
      startDate,
      waitingTokens: new Set(),
      done: Promise.resolve(),
    };
    this.executions.set(executionArn, execution);
    const run = m.machine.run(parsedInput as never, {
      overrides: { taskResourceLocalHandlers: this.overridesFor(m, execution) as never },
      context: {
        Execution: {
          Id: executionArn,
          Name: name,
          StartTime: startDate.toISOString(),
          Input: parsedInput as never,
        },
        StateMachine: { Id: m.arn, Name: `qm-local-${m.spec.name}` },
        Task: { Token: TOKEN_PLACEHOLDER },
      },
    });
    execution.done = run.result
      .then(
        (output: unknown) => {
          execution.status = 'SUCCEEDED';
          execution.output = JSON.stringify(output ?? null);
        },
        (error: Error & { cause?: unknown }) => {
          execution.status = error.name === 'ExecutionTimeoutError' ? 'TIMED_OUT' : 'FAILED';
          const failure = unwrapFailure(error);
          execution.error = failure.error;
          execution.cause = failure.cause;
        },
      )
      .finally(() => {
        execution.stopDate = new Date();
        for (const token of execution.waitingTokens) this.tokens.delete(token);
        execution.waitingTokens.clear();
      });
    return { executionArn, startDate };
  }

  describeExecution(executionArn: string) {
    const e = this.executions.get(executionArn);
    if (!e) {
      const err = new Error(`Execution ${executionArn} does not exist`);
      err.name = 'ExecutionDoesNotExist';
      throw err;
    }
    return {
      executionArn: e.executionArn,
      stateMachineArn: e.stateMachineArn,
      name: e.name,
      status: e.status,
      startDate: e.startDate,
      ...(e.stopDate ? { stopDate: e.stopDate } : {}),
      input: e.input,
      ...(e.output !== undefined ? { output: e.output } : {}),
      ...(e.error ? { error: e.error, cause: e.cause } : {}),
    };
  }

  listExecutions(stateMachineArn?: string, status?: ExecutionStatus) {
    return [...this.executions.values()].filter(
      (e) => (!stateMachineArn || e.stateMachineArn === stateMachineArn) && (!status || e.status === status),
    );
  }

  sendTaskSuccess(token: string, output: string): void {
    const waiter = this.takeToken(token);
    waiter.resolve(JSON.parse(output));
  }

  sendTaskFailure(token: string, error?: string, cause?: string): void {
    const waiter = this.takeToken(token);
    waiter.reject(new TaskFailed(error ?? 'States.TaskFailed', cause));
  }

  sendTaskHeartbeat(token: string): void {
    if (!this.tokens.has(token)) throw new TaskDoesNotExist('Task token is not waiting');
  }

  /** Resolves when every execution started so far has finished or is parked on a task token. */
  async settle(): Promise<void> {
    for (;;) {
      const running = [...this.executions.values()].filter(
        (e) => e.status === 'RUNNING' && e.waitingTokens.size === 0,
      );
      if (running.length === 0) return;
      await Promise.race([...running.map((e) => e.done), new Promise((r) => setTimeout(r, 20))]);
    }
  }

  async stop(): Promise<void> {
    for (const { reject } of this.tokens.values())
      reject(new TaskFailed('States.Runtime', 'local runtime stopped'));
    this.tokens.clear();
  }

  /**
   * For tests: runs later executions of `name` with shorter TimeoutSeconds on the named Task
   * states (a phase timeout in seconds instead of days). The ASL file is unchanged.
   */
  setTaskTimeouts(name: string, timeoutSeconds: Record<string, number>): void {
    const m = this.machines.get(name);
    if (!m) throw new StateMachineDoesNotExist(`State machine ${name} does not exist`);
    const definition = structuredClone(m.definition);
    const states = definition.States as Record<string, Record<string, unknown>>;
    for (const [stateName, seconds] of Object.entries(timeoutSeconds)) {
      const state = states[stateName];
      if (state?.Type !== 'Task') throw new Error(`${name}: no Task state ${stateName}`);
      state.TimeoutSeconds = seconds;
    }
    const machine = new StateMachine(
      definition as never,
      { validationOptions: { checkArn: false } } as never,
    );
    this.machines.set(name, { ...m, definition, machine });
  }

  private takeToken(token: string) {
    const waiter = this.tokens.get(token);
    if (!waiter) throw new TaskDoesNotExist('Task token is not waiting (already completed or unknown)');
    this.tokens.delete(token);
    this.executions.get(waiter.executionArn)?.waitingTokens.delete(token);
    return waiter;
  }

  private byArn(arn: string): Machine {
    const m = [...this.machines.values()].find((x) => x.arn === arn);
    if (!m) throw new StateMachineDoesNotExist(`State machine ${arn} does not exist`);
    return m;
  }

  private register(spec: StateMachineSpec): void {
    const functionsByArn = new Map<string, string>();
    let text = readFileSync(path.join(this.opts.root, stateMachineFile(spec.name)), 'utf8');
    for (const [placeholder, fn] of Object.entries(spec.functions)) {
      const arn = localFunctionArn(this.opts.region, this.opts.account, fn);
      functionsByArn.set(arn, fn);
      text = text.split(`\${${placeholder}}`).join(arn);
    }
    const leftover = text.match(/\$\{[A-Za-z0-9_]+\}/);
    if (leftover) throw new Error(`${spec.name}: no substitution for ${leftover[0]}`);
    const definition = JSON.parse(text) as Record<string, unknown>;
    const machine = new StateMachine(
      definition as never,
      { validationOptions: { checkArn: false } } as never,
    );
    this.machines.set(spec.name, { spec, arn: this.arnOf(spec.name), definition, machine, functionsByArn });
  }

  /** One local handler per Task state (in branches and map iterators too). */
  private overridesFor(
    m: Machine,
    execution: LocalExecution,
  ): Record<string, (input: unknown) => Promise<unknown>> {
    const overrides: Record<string, (input: unknown) => Promise<unknown>> = {};
    const fnFor = (resourceOrName: unknown): string => {
      const name = m.functionsByArn.get(String(resourceOrName));
      if (!name) throw new Error(`${m.spec.name}: ${String(resourceOrName)} is not a manifest function`);
      return name;
    };
    visitTasks(m.definition, (stateName, state) => {
      const resource = String(state.Resource);
      if (resource === LAMBDA_INVOKE_WAIT) {
        // The library fails the state with States.Timeout after TimeoutSeconds (60 when absent,
        // where AWS waits ~3 years) but never hears of our token: forget it at the same moment, so a
        // late SendTaskSuccess answers TaskDoesNotExist as on AWS (TaskTimedOut there) instead of
        // completing nothing, and settle() no longer counts the execution as parked.
        // TimeoutSecondsPath is not followed here: such a token is forgotten when the execution ends.
        const timeoutSeconds = typeof state.TimeoutSeconds === 'number' ? state.TimeoutSeconds : undefined;
        overrides[stateName] = async (input) => {
          const { FunctionName, Payload } = input as { FunctionName: string; Payload: unknown };
          const token = `${execution.name}:${stateName}:${randomUUID()}`;
          const waiting = new Promise<unknown>((resolve, reject) => {
            this.tokens.set(token, { executionArn: execution.executionArn, resolve, reject });
          });
          execution.waitingTokens.add(token);
          // The wait may be rejected (runtime stopping) before the task below returns it.
          waiting.catch(() => undefined);
          if (timeoutSeconds !== undefined) {
            const expiry = setTimeout(() => {
              this.tokens.delete(token);
              execution.waitingTokens.delete(token);
            }, timeoutSeconds * 1000);
            expiry.unref();
            waiting.finally(() => clearTimeout(expiry)).catch(() => undefined);
          }
          try {
            await this.invoke(fnFor(FunctionName), replaceDeep(Payload, TOKEN_PLACEHOLDER, token));
          } catch (error) {
            // The task failed before handing its token to anyone: nothing will ever complete it.
            this.tokens.delete(token);
            execution.waitingTokens.delete(token);
            throw error;
          }
          return waiting;
        };
      } else if (resource === LAMBDA_INVOKE) {
        overrides[stateName] = async (input) => {
          const { FunctionName, Payload } = input as { FunctionName: string; Payload: unknown };
          return {
            ExecutedVersion: '$LATEST',
            StatusCode: 200,
            Payload: await this.invoke(fnFor(FunctionName), Payload),
          };
        };
      } else if (m.functionsByArn.has(resource)) {
        overrides[stateName] = (input) => this.invoke(fnFor(resource), input);
      } else {
        throw new Error(`${m.spec.name}.${stateName}: resource ${resource} is not supported locally`);
      }
    });
    return overrides;
  }
}

function visitTasks(
  def: Record<string, unknown>,
  visit: (name: string, state: Record<string, unknown>) => void,
) {
  const states = (def.States ?? {}) as Record<string, Record<string, unknown>>;
  for (const [name, state] of Object.entries(states)) {
    if (state.Type === 'Task') visit(name, state);
    for (const branch of (state.Branches as Record<string, unknown>[] | undefined) ?? [])
      visitTasks(branch, visit);
    const inner = (state.ItemProcessor ?? state.Iterator) as Record<string, unknown> | undefined;
    if (inner) visitTasks(inner, visit);
  }
}

function replaceDeep(value: unknown, from: string, to: string): unknown {
  if (value === from) return to;
  if (Array.isArray(value)) return value.map((v) => replaceDeep(v, from, to));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replaceDeep(v, from, to)]));
  }
  return value;
}

/** The library wraps Fail states and uncaught task errors; surface Error/Cause like AWS does. */
function unwrapFailure(error: Error & { cause?: unknown }): { error: string; cause?: string } {
  const inner = error.cause instanceof Error ? (error.cause as Error & { cause?: unknown }) : undefined;
  const source = inner ?? error;
  const cause = source instanceof TaskFailed ? source.causeText : source.message;
  return { error: source.name, ...(cause ? { cause } : {}) };
}
