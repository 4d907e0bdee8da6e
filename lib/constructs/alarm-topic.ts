import { ArnFormat, CfnCondition, CfnParameter, Duration, Fn, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

/** Name of the stack parameter holding the address alarms are mailed to. */
export const ALARM_EMAIL_PARAMETER = 'AlarmEmail';

export interface AlarmTopicProps {
  readonly stage: string;
}

/**
 * The one topic every alarm and operational notice goes to. Encrypted with a customer managed
 * key, because CloudWatch and EventBridge cannot publish to a topic encrypted with the AWS
 * managed `aws/sns` key (its policy cannot be changed to let them use it); TLS-only.
 *
 * The email subscription comes from the stack parameter `AlarmEmail` (no address is committed):
 * `cdk deploy <stack> --parameters <stack>:AlarmEmail=ops@example.com`. CloudFormation keeps the
 * value on later deploys that do not name it. Left empty (the default), the topic exists without
 * a subscription, so other subscribers (chat, paging) can be added to it by hand.
 */
export class AlarmTopic extends Construct {
  readonly topic: sns.Topic;
  readonly key: kms.Key;
  readonly email: CfnParameter;

  constructor(scope: Construct, id: string, props: AlarmTopicProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.key = new kms.Key(this, 'Key', {
      description: `Quartermaster ${props.stage}: encrypts the alarm topic`,
      enableKeyRotation: true,
      // The topic holds nothing once delivered; a deleted monitoring stack should not leave a paid key.
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    // As AWS documents for alarms publishing to an encrypted topic (the key encrypts this topic
    // only). EventBridge gets the same through the rule target's grant (`grantPublish`).
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowAlarmsToUseTheKey',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );

    this.topic = new sns.Topic(this, 'Topic', {
      displayName: `Quartermaster ${props.stage} alarms`,
      masterKey: this.key,
      enforceSSL: true,
    });
    // The explicit topic policy (TLS-only) replaces SNS's default one, so CloudWatch alarms of this
    // account must be allowed by name (confused-deputy conditions as AWS recommends).
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowThisAccountsAlarmsToPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: {
          ArnLike: {
            'aws:SourceArn': stack.formatArn({
              service: 'cloudwatch',
              resource: 'alarm',
              resourceName: '*',
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
          StringEquals: { 'aws:SourceAccount': stack.account },
        },
      }),
    );

    this.email = new CfnParameter(stack, ALARM_EMAIL_PARAMETER, {
      type: 'String',
      default: '',
      description: 'Address that receives every Quartermaster alarm by email; empty = no email subscription',
      allowedPattern: '^$|^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$',
      constraintDescription: 'must be empty or one email address',
    });
    const hasEmail = new CfnCondition(stack, 'HasAlarmEmail', {
      expression: Fn.conditionNot(Fn.conditionEquals(this.email.valueAsString, '')),
    });
    const subscription = new sns.Subscription(this, 'EmailSubscription', {
      topic: this.topic,
      protocol: sns.SubscriptionProtocol.EMAIL,
      endpoint: this.email.valueAsString,
    });
    (subscription.node.defaultChild as sns.CfnSubscription).cfnOptions.condition = hasEmail;
  }
}
