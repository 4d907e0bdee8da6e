import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { InventoryMismatchDetected } from '../../functions/inventory/events/inventory-mismatch-detected.ts';
import { addQuartermasterStacks, type QuartermasterOptions } from '../../lib/app.ts';
import { ALARM_EMAIL_PARAMETER } from '../../lib/constructs/alarm-topic.ts';
import {
  API_5XX_MIN_REQUESTS,
  API_5XX_RATE_PERCENT_ABOVE,
  STREAM_ITERATOR_AGE_ABOVE,
} from '../../lib/constructs/alarms.ts';
import { DeadLetterQueue } from '../../lib/constructs/dead-letter-queue.ts';
import { FIXTURE_MANIFEST, FIXTURE_ROOT } from './fixtures/manifest.ts';
import { newApp, type SynthesizedApp, synthesizeApp } from './support/app.ts';
import {
  type AppTemplates,
  type CfnResource,
  logicalIdOf,
  type ResourceKey,
  resourcesOf,
} from './support/template.ts';

/*
 * What an operator relies on: everything that can fail silently on AWS (a dead-letter queue
 * filling up, a failed execution, a lagging stream, server errors, a crashing or throttled
 * function, an inventory mismatch) reaches the one alarm topic. Checked on the synthesized
 * templates, by following each alarm's dimension back to the resource it watches.
 */

const CASES: { label: string; options: QuartermasterOptions }[] = [
  { label: 'the system manifest', options: {} },
  { label: 'the fixture manifest', options: { manifest: FIXTURE_MANIFEST, rootDir: FIXTURE_ROOT } },
];

interface Alarm {
  id: string;
  props: Record<string, unknown>;
}

const asArray = <T>(x: T | T[] | undefined): T[] => (x === undefined ? [] : Array.isArray(x) ? x : [x]);

describe.each(CASES)('monitoring of the app built from $label', ({ options }) => {
  let synthesized: SynthesizedApp;
  /** Every template, the stateless stack's nested ones (one per bounded context) included. */
  let templates: AppTemplates;
  let monitoringName: string;
  let statelessName: string;
  let monitoring: Template;
  let stateless: Template;
  let alarms: Alarm[];
  let topicId: string;

  /** The resource an alarm dimension names, followed across stacks. */
  const dimension = (alarm: Alarm, name: string): ResourceKey | undefined => {
    const found = asArray(alarm.props.Dimensions as { Name: string; Value: unknown }[]).find(
      (d) => d.Name === name,
    );
    return found && templates.resolve(found.Value, monitoringName);
  };
  const alarmsOn = (metricName: string, dimensionName: string, target: ResourceKey) =>
    alarms.filter((a) => a.props.MetricName === metricName && dimension(a, dimensionName) === target);
  const key = (stack: string, value: unknown) => templates.resolve(value, stack);

  beforeAll(() => {
    synthesized = synthesizeApp(options);
    monitoring = synthesized.monitoringTemplate;
    stateless = synthesized.statelessTemplate;
    monitoringName = synthesized.monitoring.stackName;
    statelessName = synthesized.stateless.stackName;
    templates = synthesized.templates;
    alarms = Object.entries(resourcesOf(monitoring, 'AWS::CloudWatch::Alarm')).map(([id, r]) => ({
      id,
      props: r.Properties,
    }));
    topicId = Object.keys(resourcesOf(monitoring, 'AWS::SNS::Topic'))[0] as string;
  });

  describe('the alarm topic', () => {
    it('is the only topic, encrypted with a rotating customer managed key and TLS-only', () => {
      const topics = resourcesOf(monitoring, 'AWS::SNS::Topic');
      expect(Object.keys(topics)).toHaveLength(1);
      const keyId = logicalIdOf(topics[topicId]?.Properties.KmsMasterKeyId) as string;
      expect(resourcesOf(monitoring, 'AWS::KMS::Key')[keyId]?.Properties.EnableKeyRotation).toBe(true);
      const statements = Object.values(resourcesOf(monitoring, 'AWS::SNS::TopicPolicy'))
        .filter((p) => logicalIdOf(asArray(p.Properties.Topics as unknown[])[0]) === topicId)
        .flatMap((p) => (p.Properties.PolicyDocument as { Statement: Record<string, unknown>[] }).Statement);
      expect(statements).toContainEqual(
        expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      );
    });

    it('lets CloudWatch alarms and EventBridge publish to it and use its key', () => {
      const topicPolicy = JSON.stringify(resourcesOf(monitoring, 'AWS::SNS::TopicPolicy'));
      const keyPolicy = JSON.stringify(resourcesOf(monitoring, 'AWS::KMS::Key'));
      for (const service of ['cloudwatch.amazonaws.com', 'events.amazonaws.com']) {
        expect(topicPolicy).toContain(service);
        expect(keyPolicy).toContain(service);
      }
    });

    it('mails the AlarmEmail parameter, and subscribes nobody when it is left empty', () => {
      const parameter = monitoring.toJSON().Parameters[ALARM_EMAIL_PARAMETER];
      expect(parameter).toMatchObject({ Type: 'String', Default: '' });
      const pattern = new RegExp(parameter.AllowedPattern);
      expect(pattern.test('')).toBe(true);
      expect(pattern.test('ops@example.com')).toBe(true);
      expect(pattern.test('not an address')).toBe(false);
      const subscriptions = Object.values(
        resourcesOf(monitoring, 'AWS::SNS::Subscription'),
      ) as (CfnResource & {
        Condition?: string;
      })[];
      expect(subscriptions).toHaveLength(1);
      const [subscription] = subscriptions;
      expect(subscription?.Properties).toMatchObject({
        Protocol: 'email',
        Endpoint: { Ref: ALARM_EMAIL_PARAMETER },
        TopicArn: { Ref: topicId },
      });
      expect(monitoring.toJSON().Conditions[subscription?.Condition as string]).toEqual({
        'Fn::Not': [{ 'Fn::Equals': [{ Ref: ALARM_EMAIL_PARAMETER }, ''] }],
      });
    });

    it('receives every alarm and its recovery, from alarms with unique stage-prefixed names', () => {
      expect(alarms.length).toBeGreaterThan(0);
      for (const alarm of alarms) {
        expect(alarm.props.AlarmActions, alarm.id).toEqual([{ Ref: topicId }]);
        expect(alarm.props.OKActions, alarm.id).toEqual([{ Ref: topicId }]);
        expect(alarm.props.TreatMissingData, alarm.id).toBe('notBreaching');
        expect(alarm.props.AlarmName, alarm.id).toMatch(/^Quartermaster-dev /);
      }
      const names = alarms.map((a) => a.props.AlarmName);
      expect(new Set(names).size).toBe(names.length);
    });
  });

  describe('dead-letter queues', () => {
    /** Every queue something parks failures in, found by what points at it, not by how it was made. */
    const deadLetterQueues = (): Set<ResourceKey> => {
      const found = new Set<ResourceKey>();
      for (const { path: stack, template } of templates.stacks.values()) {
        const add = (value: unknown) => {
          const resolved = key(stack, value);
          if (resolved) found.add(resolved);
        };
        for (const rule of Object.values(resourcesOf(template, 'AWS::Events::Rule'))) {
          for (const t of asArray(rule.Properties.Targets as { DeadLetterConfig?: { Arn: unknown } }[])) {
            if (t.DeadLetterConfig) add(t.DeadLetterConfig.Arn);
          }
        }
        for (const schedule of Object.values(resourcesOf(template, 'AWS::Scheduler::Schedule'))) {
          const target = schedule.Properties.Target as { DeadLetterConfig?: { Arn: unknown } };
          if (target.DeadLetterConfig) add(target.DeadLetterConfig.Arn);
        }
        for (const type of ['AWS::Lambda::EventSourceMapping', 'AWS::Lambda::EventInvokeConfig']) {
          for (const r of Object.values(resourcesOf(template, type))) {
            const onFailure = (r.Properties.DestinationConfig as { OnFailure?: { Destination: unknown } })
              ?.OnFailure;
            if (onFailure) add(onFailure.Destination);
          }
        }
        for (const fn of Object.values(resourcesOf(template, 'AWS::Lambda::Function'))) {
          const dlq = fn.Properties.DeadLetterConfig as { TargetArn?: unknown } | undefined;
          if (dlq?.TargetArn) add(dlq.TargetArn);
        }
        for (const queue of Object.values(resourcesOf(template, 'AWS::SQS::Queue'))) {
          const redrive = queue.Properties.RedrivePolicy as { deadLetterTargetArn?: unknown } | undefined;
          if (redrive?.deadLetterTargetArn) add(redrive.deadLetterTargetArn);
        }
      }
      return found;
    };

    it('are all made with the DeadLetterQueue construct (rules, schedules, streams, batching queues, notices)', () => {
      const queues = deadLetterQueues();
      expect(queues.size).toBe(DeadLetterQueue.allIn(synthesized.app).length);
      expect([...queues].some((q) => q.startsWith(`${monitoringName}/`))).toBe(true);
    });

    it('each have an alarm on ApproximateNumberOfMessagesVisible > 0', () => {
      for (const queue of deadLetterQueues()) {
        const found = alarmsOn('ApproximateNumberOfMessagesVisible', 'QueueName', queue);
        expect(found, queue).toHaveLength(1);
        expect(found[0]?.props, queue).toMatchObject({
          Namespace: 'AWS/SQS',
          Statistic: 'Maximum',
          ComparisonOperator: 'GreaterThanThreshold',
          Threshold: 0,
          EvaluationPeriods: 1,
        });
      }
    });

    it('each have an alarm days before SQS deletes their oldest message (14 days)', () => {
      for (const queue of deadLetterQueues()) {
        const found = alarmsOn('ApproximateAgeOfOldestMessage', 'QueueName', queue);
        expect(found, queue).toHaveLength(1);
        const threshold = found[0]?.props.Threshold as number;
        expect(threshold).toBeGreaterThan(0);
        expect(threshold).toBeLessThanOrEqual(14 * 86_400 - 3 * 86_400);
      }
    });
  });

  it('alarms on failed, timed-out and aborted executions of every state machine', () => {
    const machines = Object.keys(resourcesOf(stateless, 'AWS::StepFunctions::StateMachine'));
    expect(machines.length).toBeGreaterThan(0);
    for (const machine of machines) {
      for (const metric of ['ExecutionsFailed', 'ExecutionsTimedOut', 'ExecutionsAborted']) {
        const found = alarmsOn(metric, 'StateMachineArn', `${statelessName}/${machine}`);
        expect(found, `${machine} ${metric}`).toHaveLength(1);
        expect(found[0]?.props).toMatchObject({
          Namespace: 'AWS/States',
          Statistic: 'Sum',
          ComparisonOperator: 'GreaterThanThreshold',
          Threshold: 0,
        });
      }
    }
  });

  it('alarms on the iterator age of every table-stream consumer, over a minute for 3 minutes', () => {
    const streamMappings = templates
      .resources('AWS::Lambda::EventSourceMapping', statelessName)
      .filter((m) => m.resource.Properties.StartingPosition !== undefined);
    expect(streamMappings.length).toBeGreaterThan(0);
    for (const mapping of streamMappings) {
      const fn = key(mapping.stack, mapping.resource.Properties.FunctionName) as ResourceKey;
      const found = alarmsOn('IteratorAge', 'FunctionName', fn);
      expect(found, fn).toHaveLength(1);
      expect(found[0]?.props).toMatchObject({
        Namespace: 'AWS/Lambda',
        Statistic: 'Maximum',
        Period: 60,
        EvaluationPeriods: 3,
        ComparisonOperator: 'GreaterThanThreshold',
        Threshold: STREAM_ITERATOR_AGE_ABOVE.toMilliseconds(),
      });
    }
  });

  it('alarms on the oldest message of every queue a function consumes in batches', () => {
    const queueMappings = templates
      .resources('AWS::Lambda::EventSourceMapping', statelessName)
      .filter((m) => m.resource.Properties.StartingPosition === undefined);
    for (const mapping of queueMappings) {
      const queue = key(mapping.stack, mapping.resource.Properties.EventSourceArn) as ResourceKey;
      expect(alarmsOn('ApproximateAgeOfOldestMessage', 'QueueName', queue), queue).toHaveLength(1);
    }
  });

  it('alarms when more than 1 % of at least 20 API requests in 5 minutes answer 5xx', () => {
    const [apiId] = Object.keys(resourcesOf(stateless, 'AWS::ApiGatewayV2::Api'));
    const [stage] = Object.values(resourcesOf(stateless, 'AWS::ApiGatewayV2::Stage'));
    const rateAlarms = alarms.filter((a) =>
      asArray(a.props.Metrics as { MetricStat?: { Metric: { MetricName: string } } }[]).some(
        (m) => m.MetricStat?.Metric.MetricName === '5xx',
      ),
    );
    expect(rateAlarms).toHaveLength(1);
    const alarm = rateAlarms[0] as Alarm;
    expect(alarm.props).toMatchObject({
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: API_5XX_RATE_PERCENT_ABOVE,
      EvaluationPeriods: 1,
    });
    const metrics = alarm.props.Metrics as {
      Id: string;
      Expression?: string;
      ReturnData: boolean;
      MetricStat?: {
        Metric: { MetricName: string; Namespace: string; Dimensions: { Name: string; Value: unknown }[] };
        Period: number;
        Stat: string;
      };
    }[];
    const byName = (name: string) => metrics.find((m) => m.MetricStat?.Metric.MetricName === name);
    for (const name of ['5xx', 'Count']) {
      const stat = byName(name)?.MetricStat;
      expect(stat, name).toMatchObject({ Period: 300, Stat: 'Sum', Metric: { Namespace: 'AWS/ApiGateway' } });
      const dims = Object.fromEntries((stat?.Metric.Dimensions ?? []).map((d) => [d.Name, d.Value]));
      expect(key(monitoringName, dims.ApiId)).toBe(`${statelessName}/${apiId}`);
      expect(dims.Stage).toBe(stage?.Properties.StageName);
    }
    const expression = metrics.find((m) => m.ReturnData)?.Expression;
    expect(expression).toBe(
      `IF(${byName('Count')?.Id} >= ${API_5XX_MIN_REQUESTS}, 100 * FILL(${byName('5xx')?.Id}, 0) / ${byName('Count')?.Id}, 0)`,
    );
  });

  it('alarms on errors and on throttles of every function', () => {
    const functions = templates.functions(statelessName).filter((f) => f.name !== undefined);
    expect(functions.length).toBeGreaterThan(0);
    for (const fn of functions) {
      for (const metric of ['Errors', 'Throttles']) {
        const found = alarmsOn(metric, 'FunctionName', fn.key);
        expect(found, `${fn.name} ${metric}`).toHaveLength(1);
        expect(found[0]?.props).toMatchObject({
          Namespace: 'AWS/Lambda',
          Statistic: 'Sum',
          Period: 300,
          ComparisonOperator: 'GreaterThanThreshold',
          Threshold: 0,
        });
      }
    }
  });

  it('sends every InventoryMismatchDetected on the erp bus to the topic as a readable message', () => {
    const busId = Object.keys(resourcesOf(synthesized.statefulTemplate, 'AWS::Events::EventBus'))[0];
    const rules = Object.values(resourcesOf(monitoring, 'AWS::Events::Rule')).filter(
      (r) =>
        JSON.stringify(r.Properties.EventPattern) ===
        JSON.stringify({
          source: [InventoryMismatchDetected.source],
          'detail-type': [InventoryMismatchDetected.detailType],
        }),
    );
    expect(rules).toHaveLength(1);
    const rule = rules[0] as CfnResource;
    expect(key(monitoringName, rule.Properties.EventBusName)).toBe(
      `${synthesized.stateful.stackName}/${busId}`,
    );
    const targets = rule.Properties.Targets as {
      Arn: unknown;
      DeadLetterConfig?: unknown;
      RetryPolicy?: unknown;
      InputTransformer: { InputPathsMap: Record<string, string>; InputTemplate: string };
    }[];
    expect(targets).toHaveLength(1);
    const target = targets[0];
    expect(target?.Arn).toEqual({ Ref: topicId });
    expect(target?.DeadLetterConfig).toBeDefined();
    expect(target?.RetryPolicy).toEqual({ MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 86_400 });
    const paths = target?.InputTransformer.InputPathsMap ?? {};
    const placeholder = (path: string) => {
      const name = Object.entries(paths).find(([, p]) => p === path)?.[0];
      expect(name, path).toBeDefined();
      return `<${name}>`;
    };
    const text = target?.InputTransformer.InputTemplate ?? '';
    for (const field of ['sku', 'locationId', 'invariant', 'problem', 'checkedAt']) {
      expect(text).toContain(placeholder(`$.detail.data.${field}`));
    }
    expect(text).toContain(placeholder('$.detail.metadata.correlationId'));
    expect(text).toMatch(/^"Quartermaster dev: inventory mismatch\./);
  });

  it('shows the API, the functions, the DLQs, the state machines and the streams on one dashboard', () => {
    const dashboards = Object.values(resourcesOf(monitoring, 'AWS::CloudWatch::Dashboard'));
    expect(dashboards).toHaveLength(1);
    const dashboard = dashboards[0] as CfnResource;
    expect(dashboard.Properties.DashboardName).toBe('Quartermaster-dev');
    const body = JSON.stringify(dashboard.Properties.DashboardBody);
    for (const metric of [
      'Count',
      '5xx',
      'Latency',
      'Errors',
      'Throttles',
      'Duration',
      'ApproximateNumberOfMessagesVisible',
      'ExecutionsFailed',
      'ExecutionsTimedOut',
      'ExecutionsAborted',
      'IteratorAge',
    ]) {
      expect(body, metric).toContain(`\\"${metric}\\"`);
    }
    // Every function and every dead-letter queue the alarms watch has a line on it.
    for (const alarm of alarms) {
      const dims = asArray(alarm.props.Dimensions as { Value: unknown }[]);
      // A token appears as itself; a literal name (functions) inside the escaped JSON body.
      for (const d of dims)
        expect(body, alarm.id).toContain(
          typeof d.Value === 'string' ? `\\"${d.Value}\\"` : JSON.stringify(d.Value),
        );
    }
  });
});

describe('a dead-letter queue without an alarm', () => {
  it('fails synth, so no DLQ can be added without one', () => {
    const app = newApp();
    const { stateless } = addQuartermasterStacks(app, { manifest: FIXTURE_MANIFEST, rootDir: FIXTURE_ROOT });
    new DeadLetterQueue(stateless, 'AddedAfterMonitoring', { purpose: 'a test of the guard' });
    expect(() => app.synth()).toThrow(/AddedAfterMonitoring has no alarm/);
  });
});
