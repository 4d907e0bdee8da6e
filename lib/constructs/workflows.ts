import path from 'node:path';
import { RemovalPolicy, Stack, Tags, Validations } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { type StateMachineSpec, stateMachineFile } from '../manifest/types.ts';
import { acknowledgeGrantWildcards } from '../nag.ts';
import { toPascal } from '../naming.ts';
import { REPO_ROOT } from '../paths.ts';

/** Tag carrying the manifest name of a state machine. */
export const STATE_MACHINE_TAG = 'qm:state-machine';

export interface WorkflowsProps {
  readonly stateMachines: readonly StateMachineSpec[];
  /** Manifest name → function, for the `${Placeholder}` substitutions. */
  readonly functions: ReadonlyMap<string, lambda.IFunction>;
  /**
   * Directory `statemachines/` is in.
   * @default the repository root
   */
  readonly rootDir?: string;
}

/**
 * The Standard state machines, loaded from the same ASL files the local runtime runs. Each
 * `${Placeholder}` becomes the ARN of the manifest function it names, and only those functions
 * may be invoked by the machine.
 */
export class Workflows extends Construct {
  /** Manifest name → state machine. */
  readonly machines: ReadonlyMap<string, sfn.StateMachine>;
  /**
   * Manifest name → a reference built from the machine's fixed name, not from the resource.
   * Functions that a machine invokes may also complete its tasks or start it; granting them on
   * the resource itself would make a CloudFormation cycle (function → machine → function).
   */
  readonly references: ReadonlyMap<string, sfn.IStateMachine>;

  constructor(scope: Construct, id: string, props: WorkflowsProps) {
    super(scope, id);
    const machines = new Map<string, sfn.StateMachine>();
    const references = new Map<string, sfn.IStateMachine>();
    for (const spec of props.stateMachines) {
      const id = toPascal(spec.name);
      const invoked = Object.entries(spec.functions).map(([placeholder, name]) => {
        const fn = props.functions.get(name);
        if (!fn) throw new Error(`State machine ${spec.name} refers to unknown function ${name}`);
        return { placeholder, fn };
      });
      const logGroup = new logs.LogGroup(this, `${id}Logs`, {
        retention: logs.RetentionDays.ONE_MONTH,
        removalPolicy: RemovalPolicy.DESTROY,
      });
      const stateMachineName = `${Stack.of(this).stackName}-${spec.name}`;
      const machine = new sfn.StateMachine(this, id, {
        stateMachineName,
        stateMachineType: sfn.StateMachineType.STANDARD,
        definitionBody: sfn.DefinitionBody.fromFile(
          path.resolve(props.rootDir ?? REPO_ROOT, stateMachineFile(spec.name)),
        ),
        definitionSubstitutions: Object.fromEntries(
          invoked.map(({ placeholder, fn }) => [placeholder, fn.functionArn]),
        ),
        logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: true },
        tracingEnabled: true,
      });
      Tags.of(machine).add(STATE_MACHINE_TAG, spec.name);
      Validations.of(machine.role).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'CloudWatch Logs delivery (logs:CreateLogDelivery and friends) and X-Ray (xray:PutTraceSegments) support no resource-level permissions; the state machine role needs them for logging ALL and tracing.',
      });
      for (const fn of new Set(invoked.map(({ fn }) => fn))) {
        acknowledgeGrantWildcards(
          machine.role,
          fn.grantInvoke(machine),
          'grantInvoke also allows the `:*` qualifiers (versions, aliases) of this one function, which the ASL names; no other function is invocable.',
        );
      }
      machines.set(spec.name, machine);
      references.set(spec.name, sfn.StateMachine.fromStateMachineName(this, `${id}Ref`, stateMachineName));
    }
    this.machines = machines;
    this.references = references;
  }
}
