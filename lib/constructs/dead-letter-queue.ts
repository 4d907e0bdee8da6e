import { Duration, Validations } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct, IConstruct } from 'constructs';

export interface DeadLetterQueueProps {
  /** What lands here, for whoever finds messages in it. */
  readonly purpose: string;
}

/**
 * Where an EventBridge target, a schedule or a stream consumer parks what it could not deliver
 * after its retries: encrypted, TLS-only, kept the SQS maximum of 14 days for redrive. The
 * monitoring stack alarms on every instance in the app, and fails synth if one has no alarm.
 */
export class DeadLetterQueue extends sqs.Queue {
  /** Every dead-letter queue under `scope` (pass the app to search all stacks). */
  static allIn(scope: IConstruct): DeadLetterQueue[] {
    return scope.node.findAll().filter((c): c is DeadLetterQueue => c instanceof DeadLetterQueue);
  }

  readonly purpose: string;

  constructor(scope: Construct, id: string, props: DeadLetterQueueProps) {
    super(scope, id, {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.purpose = props.purpose;
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: `This queue is itself a dead-letter queue (${props.purpose}); EventBridge, Scheduler and Lambda event-source DLQs are not SQS redrive policies, so the rule cannot see it.`,
    });
  }
}
