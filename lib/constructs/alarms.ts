import { Duration, Stack } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct, type IConstruct } from 'constructs';
import { toPascal } from '../naming.ts';
import type { DeadLetterQueue } from './dead-letter-queue.ts';
import { lambdaMetric, type NamedFunction } from './lambda-metrics.ts';

// Thresholds. Each alarm notifies once when it starts firing and once when it clears (OK).

/** Any message in a dead-letter queue is work that was given up on; it must be looked at. */
export const DLQ_VISIBLE_MESSAGES_ABOVE = 0;
/**
 * Dead-letter queues keep messages the SQS maximum of 14 days, then drop them silently. A second
 * alarm four days before that is the reminder that still leaves time to redrive.
 */
export const DLQ_OLDEST_MESSAGE_AGE_ABOVE = Duration.days(10);
/** Every failed, timed-out or aborted execution is an order stuck half way; each one matters. */
export const STATE_MACHINE_EXECUTIONS_ABOVE = 0;
/**
 * Stream consumers write the ledger and publish order events; a minute behind is already visible
 * to users (stock and order views lag). Sustained for 3 minutes, so a flash-sale burst that the
 * consumer catches up with does not page anyone.
 */
export const STREAM_ITERATOR_AGE_ABOVE = Duration.seconds(60);
export const STREAM_ITERATOR_AGE_MINUTES = 3;
/**
 * Server errors above 1 % of requests over 5 minutes. A rate, not a count, so the alarm means the
 * same at 10 and at 10,000 requests a minute; below 20 requests in the window it stays quiet,
 * because one failed health probe at night is 100 % of nothing (the Lambda errors alarm of the
 * function behind it still fires).
 */
export const API_5XX_RATE_PERCENT_ABOVE = 1;
export const API_5XX_MIN_REQUESTS = 20;
export const API_5XX_PERIOD = Duration.minutes(5);
/**
 * Handlers answer expected failures (validation, conflicts, not found) with a response, so a
 * Lambda error is an unhandled exception, a crash or a timeout: a bug or an outage, every time.
 */
export const LAMBDA_ERRORS_ABOVE = 0;
/** A throttle means the account's concurrency ran out: requests were refused or events delayed. */
export const LAMBDA_THROTTLES_ABOVE = 0;
/**
 * A batching queue is drained within seconds (a 1 s window); a message waiting 5 minutes means its
 * function keeps failing or is throttled, and the events behind it are not journalled yet.
 */
export const BATCH_QUEUE_OLDEST_MESSAGE_AGE_ABOVE = Duration.minutes(5);

/** Lambda and SQS publish per minute; five minutes keeps one blip from flapping an alarm. */
const PERIOD = Duration.minutes(5);

export interface SystemAlarmsProps {
  readonly stage: string;
  /** Where every alarm (and its recovery) is sent. */
  readonly topic: sns.ITopic;
  readonly deadLetterQueues: readonly DeadLetterQueue[];
  /** Manifest name → function. */
  readonly functions: ReadonlyMap<string, NamedFunction>;
  /** Manifest name → state machine. */
  readonly stateMachines: ReadonlyMap<string, sfn.IStateMachine>;
  /** Stream consumer name → the function its event source mapping invokes. */
  readonly streamConsumers: ReadonlyMap<string, NamedFunction>;
  /** Rule name → the queue in front of a batching target. */
  readonly batchQueues: ReadonlyMap<string, sqs.IQueue>;
  readonly httpStage: apigw.IHttpStage;
}

/** A construct's path below its stack, e.g. `Rules/JournalAllEventsDlq`. */
export const pathInStack = (construct: IConstruct): string =>
  construct.node.path.slice(Stack.of(construct).node.path.length + 1);

/**
 * One alarm per thing that can fail silently, all to one topic: every dead-letter queue (depth
 * and age), every state machine (failed, timed out, aborted), every stream consumer (iterator
 * age), every batching queue (oldest message), the HTTP API (5xx rate) and every function
 * (errors, throttles). Missing data means nothing happened, so it never breaches.
 */
export class SystemAlarms extends Construct {
  /** Every alarm created here. */
  readonly alarms: cloudwatch.Alarm[] = [];
  /** Dead-letter queue → its depth alarm. */
  readonly deadLetterQueueAlarms: ReadonlyMap<DeadLetterQueue, cloudwatch.Alarm>;
  /** The HTTP API's 5xx rate, as alarmed on (the dashboard shows it too). */
  readonly api5xxRate: cloudwatch.MathExpression;
  private readonly action: SnsAction;
  private readonly namePrefix: string;

  constructor(scope: Construct, id: string, props: SystemAlarmsProps) {
    super(scope, id);
    this.action = new SnsAction(props.topic);
    this.namePrefix = `Quartermaster-${props.stage}`;

    const dlqAlarms = new Map<DeadLetterQueue, cloudwatch.Alarm>();
    for (const queue of props.deadLetterQueues) {
      const where = pathInStack(queue);
      const id = `Dlq${toPascal(where)}`;
      const redrive =
        'Messages are kept 14 days: read them in the SQS console, fix the cause, then redrive or replay them.';
      dlqAlarms.set(
        queue,
        this.add(`${id}Depth`, {
          name: `DLQ not empty: ${where}`,
          description: `Dead-letter queue ${where} holds ${queue.purpose}. ${redrive}`,
          metric: queue.metricApproximateNumberOfMessagesVisible({ period: PERIOD, statistic: 'Maximum' }),
          threshold: DLQ_VISIBLE_MESSAGES_ABOVE,
        }),
      );
      this.add(`${id}Age`, {
        name: `DLQ messages near expiry: ${where}`,
        description: `A message in dead-letter queue ${where} (${queue.purpose}) is ${DLQ_OLDEST_MESSAGE_AGE_ABOVE.toDays()} days old; SQS deletes it at 14 days. ${redrive}`,
        metric: queue.metricApproximateAgeOfOldestMessage({
          period: Duration.hours(1),
          statistic: 'Maximum',
        }),
        threshold: DLQ_OLDEST_MESSAGE_AGE_ABOVE.toSeconds(),
      });
    }
    this.deadLetterQueueAlarms = dlqAlarms;

    for (const [name, machine] of props.stateMachines) {
      const id = `StateMachine${toPascal(name)}`;
      const outcomes = [
        ['Failed', 'failed', machine.metricFailed.bind(machine)],
        ['TimedOut', 'timed out', machine.metricTimedOut.bind(machine)],
        ['Aborted', 'aborted', machine.metricAborted.bind(machine)],
      ] as const;
      for (const [suffix, what, metric] of outcomes) {
        this.add(`${id}${suffix}`, {
          name: `state machine ${name}: executions ${what}`,
          description: `An execution of ${name} ${what}. Find it in the Step Functions console (its name is the order id) and retry or resolve it.`,
          metric: metric({ period: PERIOD, statistic: 'Sum' }),
          threshold: STATE_MACHINE_EXECUTIONS_ABOVE,
        });
      }
    }

    for (const [name, fn] of props.streamConsumers) {
      this.add(`Stream${toPascal(name)}IteratorAge`, {
        name: `stream consumer ${name}: iterator age`,
        description: `Stream consumer ${name} is more than ${STREAM_ITERATOR_AGE_ABOVE.toSeconds()} s behind the table for ${STREAM_ITERATOR_AGE_MINUTES} minutes: it is failing (see its errors and DLQ) or too slow. Records older than 24 h are lost.`,
        metric: lambdaMetric(fn, 'IteratorAge', { period: Duration.minutes(1), statistic: 'Maximum' }),
        threshold: STREAM_ITERATOR_AGE_ABOVE.toMilliseconds(),
        evaluationPeriods: STREAM_ITERATOR_AGE_MINUTES,
      });
    }

    for (const [name, queue] of props.batchQueues) {
      this.add(`BatchQueue${toPascal(name)}Age`, {
        name: `batch queue of rule ${name}: oldest message age`,
        description: `Events for rule ${name} have waited over ${BATCH_QUEUE_OLDEST_MESSAGE_AGE_ABOVE.toMinutes()} minutes in its batching queue: its function is failing or throttled.`,
        metric: queue.metricApproximateAgeOfOldestMessage({ period: PERIOD, statistic: 'Maximum' }),
        threshold: BATCH_QUEUE_OLDEST_MESSAGE_AGE_ABOVE.toSeconds(),
      });
    }

    this.api5xxRate = new cloudwatch.MathExpression({
      expression: `IF(requests >= ${API_5XX_MIN_REQUESTS}, 100 * FILL(errors, 0) / requests, 0)`,
      usingMetrics: {
        requests: props.httpStage.metricCount({ period: API_5XX_PERIOD, statistic: 'Sum' }),
        errors: props.httpStage.metricServerError({ period: API_5XX_PERIOD, statistic: 'Sum' }),
      },
      period: API_5XX_PERIOD,
      label: '5xx % of requests',
    });
    this.add('Api5xxRate', {
      name: 'HTTP API: 5xx rate',
      description: `More than ${API_5XX_RATE_PERCENT_ABOVE} % of at least ${API_5XX_MIN_REQUESTS} requests in ${API_5XX_PERIOD.toMinutes()} minutes answered 5xx. The access log (latencyMs, integrationError) and the functions' errors show which route.`,
      metric: this.api5xxRate,
      threshold: API_5XX_RATE_PERCENT_ABOVE,
    });

    for (const [name, fn] of props.functions) {
      const id = `Function${toPascal(name)}`;
      this.add(`${id}Errors`, {
        name: `function ${name}: errors`,
        description: `${name} threw, crashed or timed out. Its log group and X-Ray traces have the error; event-driven invocations are retried, then dead-lettered.`,
        metric: lambdaMetric(fn, 'Errors', { period: PERIOD, statistic: 'Sum' }),
        threshold: LAMBDA_ERRORS_ABOVE,
      });
      this.add(`${id}Throttles`, {
        name: `function ${name}: throttles`,
        description: `Invocations of ${name} were throttled: the account's Lambda concurrency is exhausted. Requests got 429/503; events are retried.`,
        metric: lambdaMetric(fn, 'Throttles', { period: PERIOD, statistic: 'Sum' }),
        threshold: LAMBDA_THROTTLES_ABOVE,
      });
    }
  }

  /** An alarm on `metric > threshold` that notifies the topic when it fires and when it clears. */
  private add(
    id: string,
    options: {
      name: string;
      description: string;
      metric: cloudwatch.IMetric;
      threshold: number;
      evaluationPeriods?: number;
    },
  ): cloudwatch.Alarm {
    const alarm = new cloudwatch.Alarm(this, id, {
      alarmName: `${this.namePrefix} ${options.name}`,
      alarmDescription: options.description,
      metric: options.metric,
      threshold: options.threshold,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: options.evaluationPeriods ?? 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(this.action);
    alarm.addOkAction(this.action);
    this.alarms.push(alarm);
    return alarm;
  }
}
