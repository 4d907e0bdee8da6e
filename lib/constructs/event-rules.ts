import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { RuleSpec } from '../manifest/types.ts';
import { toPascal } from '../naming.ts';
import { DeadLetterQueue } from './dead-letter-queue.ts';

/** Delivery policy of every rule target: EventBridge retries with backoff, then parks the event. */
export const RULE_TARGET_RETRY_ATTEMPTS = 8;
export const RULE_TARGET_MAX_EVENT_AGE = Duration.hours(24);

export interface EventRulesProps {
  readonly rules: readonly RuleSpec[];
  readonly bus: events.IEventBus;
  /** Manifest name → function. */
  readonly functions: ReadonlyMap<string, lambda.IFunction>;
  /** Manifest name → state machine. */
  readonly machines: ReadonlyMap<string, sfn.IStateMachine>;
}

/**
 * The manifest's rules on the erp bus. The pattern CloudFormation receives is the manifest's
 * JSON, set on the L1 so that content filters (`prefix`, `anything-but`, `wildcard`, numeric
 * ranges) reach EventBridge byte for byte, exactly as the local bus evaluates them. Each target
 * has its own encrypted dead-letter queue and the same retry policy.
 */
export class EventRules extends Construct {
  /** Rule name → rule. */
  readonly rules: ReadonlyMap<string, events.Rule>;
  /** Rule name → dead-letter queue of its target. */
  readonly deadLetterQueues: ReadonlyMap<string, DeadLetterQueue>;

  constructor(scope: Construct, id: string, props: EventRulesProps) {
    super(scope, id);
    const rules = new Map<string, events.Rule>();
    const dlqs = new Map<string, DeadLetterQueue>();
    for (const spec of props.rules) {
      const id = toPascal(spec.name);
      const deadLetterQueue = new DeadLetterQueue(this, `${id}Dlq`, {
        purpose: `events of rule ${spec.name}`,
      });
      const rule = new events.Rule(this, id, {
        eventBus: props.bus,
        description: spec.description,
        // Only satisfies the L2's "pattern or schedule" check; the L1 below is what deploys.
        eventPattern: spec.pattern as events.EventPattern,
      });
      (rule.node.defaultChild as events.CfnRule).eventPattern = spec.pattern;
      const delivery = {
        deadLetterQueue,
        retryAttempts: RULE_TARGET_RETRY_ATTEMPTS,
        maxEventAge: RULE_TARGET_MAX_EVENT_AGE,
      };
      if ('fn' in spec.target) {
        const fn = props.functions.get(spec.target.fn);
        if (!fn) throw new Error(`Rule ${spec.name} targets unknown function ${spec.target.fn}`);
        rule.addTarget(new targets.LambdaFunction(fn, delivery));
      } else {
        const machine = props.machines.get(spec.target.stateMachine);
        if (!machine)
          throw new Error(`Rule ${spec.name} targets unknown state machine ${spec.target.stateMachine}`);
        rule.addTarget(new targets.SfnStateMachine(machine, delivery));
      }
      rules.set(spec.name, rule);
      dlqs.set(spec.name, deadLetterQueue);
    }
    this.rules = rules;
    this.deadLetterQueues = dlqs;
  }
}
