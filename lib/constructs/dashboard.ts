import { Duration } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as events from 'aws-cdk-lib/aws-events';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import {
  API_5XX_RATE_PERCENT_ABOVE,
  BATCH_QUEUE_OLDEST_MESSAGE_AGE_ABOVE,
  pathInStack,
  STREAM_ITERATOR_AGE_ABOVE,
} from './alarms.ts';
import type { DeadLetterQueue } from './dead-letter-queue.ts';
import { lambdaMetric, type NamedFunction } from './lambda-metrics.ts';

export interface SystemDashboardProps {
  readonly stage: string;
  readonly httpStage: apigw.IHttpStage;
  /** The 5xx rate exactly as the API alarm computes it. */
  readonly api5xxRate: cloudwatch.IMetric;
  /** Bounded context → (manifest name → function). */
  readonly functionsByContext: ReadonlyMap<string, ReadonlyMap<string, NamedFunction>>;
  readonly deadLetterQueues: readonly DeadLetterQueue[];
  readonly stateMachines: ReadonlyMap<string, sfn.IStateMachine>;
  readonly streamConsumers: ReadonlyMap<string, NamedFunction>;
  readonly batchQueues: ReadonlyMap<string, sqs.IQueue>;
  /** Rules whose matches are worth seeing over time (the inventory mismatch notice). */
  readonly noticeRules: readonly {
    readonly label: string;
    readonly bus: events.IEventBus;
    readonly rule: events.IRule;
  }[];
}

const PERIOD = Duration.minutes(5);
const FULL = 24;
const THIRD = 8;
const HALF = 12;

/**
 * One CloudWatch dashboard for the stage, showing what the alarms watch: the API (requests, 4xx
 * and 5xx, the 5xx rate, latency), each context's functions (errors, throttles, p99 duration),
 * dead-letter queue depth, state machine failures, stream iterator age, batching queues and
 * inventory mismatch notices.
 */
export class SystemDashboard extends Construct {
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: SystemDashboardProps) {
    super(scope, id);
    const stage = props.httpStage;
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: `Quartermaster-${props.stage}`,
      defaultInterval: Duration.hours(3),
    });
    const graph = (title: string, width: number, left: cloudwatch.IMetric[], extra = {}) =>
      new cloudwatch.GraphWidget({ title, width, height: 6, left, ...extra });
    const line = (label: string, value: number) => ({ horizontalAnnotations: [{ label, value }] });

    this.dashboard.addWidgets(
      new cloudwatch.TextWidget({
        markdown: `# Quartermaster ${props.stage}\nEvery graph here has alarms behind it (topic: the stage's alarm topic).`,
        width: FULL,
        height: 2,
      }),
    );
    this.dashboard.addWidgets(
      graph('HTTP API requests', THIRD, [
        stage.metricCount({ period: PERIOD, statistic: 'Sum', label: 'requests' }),
        stage.metricClientError({ period: PERIOD, statistic: 'Sum', label: '4xx' }),
        stage.metricServerError({ period: PERIOD, statistic: 'Sum', label: '5xx' }),
      ]),
      graph('HTTP API 5xx rate (%)', THIRD, [props.api5xxRate], line('alarm', API_5XX_RATE_PERCENT_ABOVE)),
      graph('HTTP API latency (ms)', THIRD, [
        stage.metricLatency({ period: PERIOD, statistic: 'p50', label: 'p50' }),
        stage.metricLatency({ period: PERIOD, statistic: 'p99', label: 'p99' }),
        stage.metricIntegrationLatency({ period: PERIOD, statistic: 'p99', label: 'integration p99' }),
      ]),
    );

    for (const [context, functions] of props.functionsByContext) {
      const each = (metric: (name: string, fn: NamedFunction) => cloudwatch.IMetric) =>
        [...functions].map(([name, fn]) => metric(name, fn));
      this.dashboard.addWidgets(
        graph(
          `${context}: Lambda errors`,
          THIRD,
          each((name, fn) => lambdaMetric(fn, 'Errors', { period: PERIOD, statistic: 'Sum', label: name })),
        ),
        graph(
          `${context}: Lambda throttles`,
          THIRD,
          each((name, fn) =>
            lambdaMetric(fn, 'Throttles', { period: PERIOD, statistic: 'Sum', label: name }),
          ),
        ),
        graph(
          `${context}: Lambda duration p99 (ms)`,
          THIRD,
          each((name, fn) => lambdaMetric(fn, 'Duration', { period: PERIOD, statistic: 'p99', label: name })),
        ),
      );
    }

    this.dashboard.addWidgets(
      graph(
        'Dead-letter queues: messages visible',
        HALF,
        props.deadLetterQueues.map((queue) =>
          queue.metricApproximateNumberOfMessagesVisible({
            period: PERIOD,
            statistic: 'Maximum',
            label: pathInStack(queue),
          }),
        ),
      ),
      graph(
        'State machines: executions failed, timed out, aborted',
        HALF,
        [...props.stateMachines].flatMap(([name, machine]) => [
          machine.metricFailed({ period: PERIOD, statistic: 'Sum', label: `${name} failed` }),
          machine.metricTimedOut({ period: PERIOD, statistic: 'Sum', label: `${name} timed out` }),
          machine.metricAborted({ period: PERIOD, statistic: 'Sum', label: `${name} aborted` }),
        ]),
      ),
    );
    this.dashboard.addWidgets(
      graph(
        'Stream consumers: iterator age (ms)',
        THIRD,
        [...props.streamConsumers].map(([name, fn]) =>
          lambdaMetric(fn, 'IteratorAge', { period: Duration.minutes(1), statistic: 'Maximum', label: name }),
        ),
        line('alarm', STREAM_ITERATOR_AGE_ABOVE.toMilliseconds()),
      ),
      graph(
        'Batching queues: oldest message (s)',
        THIRD,
        [...props.batchQueues].map(([name, queue]) =>
          queue.metricApproximateAgeOfOldestMessage({ period: PERIOD, statistic: 'Maximum', label: name }),
        ),
        line('alarm', BATCH_QUEUE_OLDEST_MESSAGE_AGE_ABOVE.toSeconds()),
      ),
      graph(
        'Notices sent',
        THIRD,
        props.noticeRules.map(
          ({ label, bus, rule }) =>
            new cloudwatch.Metric({
              namespace: 'AWS/Events',
              metricName: 'TriggeredRules',
              dimensionsMap: { EventBusName: bus.eventBusName, RuleName: rule.ruleName },
              period: PERIOD,
              statistic: 'Sum',
              label,
            }),
        ),
      ),
    );
  }
}
