import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { DeadLetterQueue } from './dead-letter-queue.ts';
import { RULE_TARGET_MAX_EVENT_AGE, RULE_TARGET_RETRY_ATTEMPTS } from './event-rules.ts';

export interface EventNotificationProps {
  readonly bus: events.IEventBus;
  readonly topic: sns.ITopic;
  /** The domain event to forward (its `defineEvent` declaration fits). */
  readonly event: { readonly source: string; readonly detailType: string };
  readonly description: string;
  /** What the subscriber reads, built from the event's fields. */
  readonly message: events.RuleTargetInput;
}

/**
 * Forwards one domain event from the erp bus to the alarm topic as a readable message. AWS-only
 * (the local runtime has no topic); delivery has the same retries and dead-letter queue as every
 * manifest rule target, so a notice the topic refused is parked and alarmed on, not lost.
 */
export class EventNotification extends Construct {
  readonly rule: events.Rule;
  readonly deadLetterQueue: DeadLetterQueue;

  constructor(scope: Construct, id: string, props: EventNotificationProps) {
    super(scope, id);
    this.deadLetterQueue = new DeadLetterQueue(this, 'Dlq', {
      purpose: `${props.event.detailType} notices the alarm topic refused`,
    });
    this.rule = new events.Rule(this, 'Rule', {
      eventBus: props.bus,
      description: props.description,
      eventPattern: { source: [props.event.source], detailType: [props.event.detailType] },
    });
    this.rule.addTarget(
      new targets.SnsTopic(props.topic, {
        message: props.message,
        deadLetterQueue: this.deadLetterQueue,
        retryAttempts: RULE_TARGET_RETRY_ATTEMPTS,
        maxEventAge: RULE_TARGET_MAX_EVENT_AGE,
      }),
    );
  }
}
