import { Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import { Construct } from 'constructs';
import type { ScheduleSpec } from '../manifest/types.ts';
import { acknowledgeWildcardResources } from '../nag.ts';
import { toPascal } from '../naming.ts';
import { DeadLetterQueue } from './dead-letter-queue.ts';

export interface SchedulesProps {
  readonly schedules: readonly ScheduleSpec[];
  /** Manifest name → function. */
  readonly functions: ReadonlyMap<string, lambda.IFunction>;
}

/** EventBridge Scheduler schedules from the manifest, each invoking its function with a DLQ. */
export class Schedules extends Construct {
  /** Schedule name → schedule. */
  readonly schedules: ReadonlyMap<string, scheduler.Schedule>;

  constructor(scope: Construct, id: string, props: SchedulesProps) {
    super(scope, id);
    const schedules = new Map<string, scheduler.Schedule>();
    for (const spec of props.schedules) {
      const id = toPascal(spec.name);
      const fn = props.functions.get(spec.fn);
      if (!fn) throw new Error(`Schedule ${spec.name} targets unknown function ${spec.fn}`);
      const deadLetterQueue = new DeadLetterQueue(this, `${id}Dlq`, {
        purpose: `runs of schedule ${spec.name}`,
      });
      // Our own role rather than the target's shared default, so the grant can be reviewed here.
      const role = new iam.Role(this, `${id}Role`, {
        assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
          conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
        }),
        description: `EventBridge Scheduler: invokes ${spec.fn} for schedule ${spec.name}`,
      });
      acknowledgeWildcardResources(
        role,
        [`${fn.functionArn}:*`],
        `The Scheduler target grant also allows the \`:*\` qualifiers (versions, aliases) of ${spec.fn}, and no other function.`,
      );
      const schedule = new scheduler.Schedule(this, id, {
        description: spec.description,
        schedule: scheduler.ScheduleExpression.expression(spec.expression),
        target: new targets.LambdaInvoke(fn, {
          role,
          deadLetterQueue,
          retryAttempts: 8,
          maxEventAge: Duration.hours(24),
        }),
      });
      schedules.set(spec.name, schedule);
    }
    this.schedules = schedules;
  }
}
