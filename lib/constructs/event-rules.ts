import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { RuleSpec, RuleTargetBatch } from '../manifest/types.ts';
import { toPascal } from '../naming.ts';
import { DeadLetterQueue } from './dead-letter-queue.ts';

/** Delivery policy of every rule target: EventBridge retries with backoff, then parks the event. */
export const RULE_TARGET_RETRY_ATTEMPTS = 8;
export const RULE_TARGET_MAX_EVENT_AGE = Duration.hours(24);
/** A batching target's message goes to the rule's dead-letter queue after this many failed receives. */
export const BATCH_QUEUE_MAX_RECEIVES = 5;

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
 * has its own encrypted dead-letter queue and the same retry policy. A batching function target
 * gets a queue between the rule and the function: the rule sends to the queue, the function
 * consumes it in batches (partial batch responses), and a message that keeps failing moves to
 * the same dead-letter queue.
 */
export class EventRules extends Construct {
  /** Rule name → rule. */
  readonly rules: ReadonlyMap<string, events.Rule>;
  /** Rule name → dead-letter queue of its target. */
  readonly deadLetterQueues: ReadonlyMap<string, DeadLetterQueue>;
  /** Rule name → the queue in front of its function, for batching targets. */
  readonly batchQueues: ReadonlyMap<string, sqs.Queue>;

  constructor(scope: Construct, id: string, props: EventRulesProps) {
    super(scope, id);
    const rules = new Map<string, events.Rule>();
    const dlqs = new Map<string, DeadLetterQueue>();
    const batchQueues = new Map<string, sqs.Queue>();
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
        if (spec.target.batch) {
          const queue = batchQueue(this, `${id}Queue`, fn, spec.target.batch, deadLetterQueue);
          rule.addTarget(new targets.SqsQueue(queue, delivery));
          fn.addEventSource(
            new SqsEventSource(queue, {
              batchSize: spec.target.batch.size,
              ...(spec.target.batch.windowSeconds > 0
                ? { maxBatchingWindow: Duration.seconds(spec.target.batch.windowSeconds) }
                : {}),
              reportBatchItemFailures: true,
            }),
          );
          batchQueues.set(spec.name, queue);
        } else rule.addTarget(new targets.LambdaFunction(fn, delivery));
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
    this.batchQueues = batchQueues;
  }
}

/**
 * The queue in front of a batching target: encrypted, TLS-only, a visibility timeout of six times
 * the function's timeout plus the batching window (AWS's advice for SQS event sources, so a batch
 * still being retried by Lambda never becomes visible twice), and a redrive to the rule's DLQ.
 */
function batchQueue(
  scope: Construct,
  id: string,
  fn: lambda.IFunction,
  batch: RuleTargetBatch,
  deadLetterQueue: DeadLetterQueue,
): sqs.Queue {
  const timeoutSeconds = (fn instanceof lambda.Function ? fn.timeout : undefined)?.toSeconds() ?? 900;
  return new sqs.Queue(scope, id, {
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    visibilityTimeout: Duration.seconds(6 * timeoutSeconds + batch.windowSeconds),
    deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: BATCH_QUEUE_MAX_RECEIVES },
  });
}
