import { Duration, Validations } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

export interface DeadLetterQueueProps {
  /** What lands here, for whoever finds messages in it. */
  readonly purpose: string;
}

/**
 * Where an EventBridge target, a schedule or a stream consumer parks what it could not deliver
 * after its retries: encrypted, TLS-only, kept the SQS maximum of 14 days for redrive.
 */
export class DeadLetterQueue extends sqs.Queue {
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
